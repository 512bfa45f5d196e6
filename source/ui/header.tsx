// The top two lines: where the data comes from, how the run is going, and the time of day
// with its zone (every other time on screen is in that zone).
import {Box, Text} from 'ink';
import type {MonitorSnapshot} from '../app/monitor-state.js';
import {IntegrationsLine} from './integrations-line.js';
import {
	formatClock,
	formatDuration,
	formatUptime,
	truncate,
	truncateStart,
	zoneLabel,
} from './format.js';

const name = 'serialwatch ';

export function Header(props: {
	snapshot: MonitorSnapshot;
	now: number;
	paused: {readings: number} | undefined;
	width: number;
}) {
	const {snapshot, now, paused, width} = props;
	const badge = paused ? ` PAUSED +${paused.readings} readings ` : '';
	const {origin, connection, uptime, clock} = firstLine(
		snapshot,
		now,
		width - name.length - badge.length,
	);
	const {state} = snapshot.connection;
	return (
		<Box flexDirection="column">
			<Text>
				<Text bold>{name}</Text>
				{origin}
				<Text bold={state === 'reconnecting'} color={connectionColor[state]}>
					{connection}
				</Text>
				{uptime}
				{clock}
				{badge ? (
					<Text bold inverse color="yellow">
						{badge}
					</Text>
				) : null}
			</Text>
			<SecondLine snapshot={snapshot} width={width} />
			<IntegrationsLine integrations={snapshot.integrations} width={width} />
		</Box>
	);
}

const connectionColor = {
	demo: 'cyan',
	connecting: 'yellow',
	waiting: 'yellow',
	connected: 'green',
	reconnecting: 'red',
} as const;

// Longest first: the first that fits is shown.
const waitingHints = [
	'(not present; serialwatch ports lists the ports)',
	'(not present; serialwatch ports)',
	'(not present)',
];

/**
 * The first line's parts, fitted to `room` columns after the name. Waiting for a port,
 * the message names the port and says how long, so the origin and the uptime give way.
 */
function firstLine(
	snapshot: MonitorSnapshot,
	now: number,
	room: number,
): {origin: string; connection: string; uptime: string; clock: string} {
	const {source, connection, timezone} = snapshot;
	const clock = ` · ${formatClock(now, timezone)} ${zoneLabel(now, timezone)}`;
	if (connection.state === 'waiting') {
		const start = `○ waiting ${formatDuration(now - connection.since)} for `;
		const fits = (hint: string, withClock: boolean) =>
			start.length +
				connection.path.length +
				1 +
				hint.length +
				(withClock ? clock.length : 0) <=
			room;
		const choices: Array<[string, boolean]> = [
			[waitingHints[0]!, true],
			[waitingHints[1]!, true],
			[waitingHints[1]!, false],
			[waitingHints[2]!, false],
		];
		const [hint, withClock] = choices.find(([text, shown]) =>
			fits(text, shown),
		) ?? [waitingHints[2]!, false];
		const path = truncateStart(
			connection.path,
			room - start.length - 1 - hint.length,
		);
		return {
			origin: '',
			connection: `${start}${path} ${hint}`,
			uptime: '',
			clock: withClock ? clock : '',
		};
	}

	const origin = source.demo
		? `demo device (${source.scenario}, in-process)`
		: `${source.port} @ ${source.baudRate} baud`;
	const text = connectionText(connection, timezone);
	const uptime = ` up ${formatUptime(now - snapshot.startedAt)}`;
	const left = room - text.length - 1 - uptime.length;
	// The clock goes before the origin is cut to less than a port name.
	const withClock = left - clock.length >= Math.min(origin.length, 12);
	const originRoom = withClock ? left - clock.length : left;
	return {
		origin: originRoom > 0 ? `${truncate(origin, originRoom)} ` : '',
		connection: text,
		uptime,
		clock: withClock ? clock : '',
	};
}

function connectionText(
	connection: Exclude<MonitorSnapshot['connection'], {state: 'waiting'}>,
	zone: MonitorSnapshot['timezone'],
): string {
	switch (connection.state) {
		case 'demo': {
			return '● demo';
		}

		case 'connecting': {
			return '○ connecting';
		}

		case 'connected': {
			return '● connected';
		}

		case 'reconnecting': {
			return `○ reconnecting since ${formatClock(connection.since, zone)}`;
		}
	}
}

/** Counts, rate, and the config in effect: a file (valid or not) or the built-in defaults. */
function SecondLine(props: {snapshot: MonitorSnapshot; width: number}) {
	const {snapshot, width} = props;
	const {config} = snapshot;
	const counts = `lines ${snapshot.lines} · ${snapshot.rate.toFixed(1)}/s · parse errors ${snapshot.malformed} · `;
	if (config.source === 'defaults') {
		return (
			<Text>
				{truncate(`${counts}built-in defaults (no ${config.path})`, width)}
			</Text>
		);
	}

	const verdict = config.valid ? 'valid' : 'INVALID, last valid kept';
	return (
		<Text>
			{counts}config{' '}
			{truncateStart(
				config.path,
				width - counts.length - 'config  '.length - verdict.length,
			)}{' '}
			<Text bold={!config.valid} color={config.valid ? 'green' : 'red'}>
				{verdict}
			</Text>
		</Text>
	);
}
