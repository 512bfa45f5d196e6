// The top two lines: where the data comes from and how the run is going.
import {Box, Text} from 'ink';
import type {MonitorSnapshot} from '../app/monitor-state.js';
import {formatClock, formatUptime, truncate, truncateStart} from './format.js';

export function Header(props: {
	snapshot: MonitorSnapshot;
	now: number;
	paused: {readings: number} | undefined;
	width: number;
}) {
	const {snapshot, now, paused, width} = props;
	const {source, connection, config} = snapshot;
	const origin = source.demo
		? `demo device (${source.scenario}, in-process)`
		: `${source.port} @ ${source.baudRate} baud`;
	const counts = `lines ${snapshot.lines} · ${snapshot.rate.toFixed(1)}/s · parse errors ${snapshot.malformed}`;
	const verdict = config.valid ? 'valid' : 'INVALID, last valid kept';
	return (
		<Box flexDirection="column">
			<Box>
				<Text bold>serialwatch </Text>
				<Text>
					{truncate(
						origin,
						width -
							'serialwatch  up 00:00:00'.length -
							connectionText(connection).length -
							(paused ? ` PAUSED +${paused.readings} readings `.length : 0),
					)}{' '}
				</Text>
				<ConnectionState connection={connection} />
				<Text> up {formatUptime(now - snapshot.startedAt)}</Text>
				{paused ? (
					<Text bold inverse color="yellow">
						{` PAUSED +${paused.readings} readings `}
					</Text>
				) : null}
			</Box>
			<Text>
				{counts} · config{' '}
				{truncateStart(
					config.path,
					width - counts.length - 11 - verdict.length,
				)}{' '}
				<Text bold={!config.valid} color={config.valid ? 'green' : 'red'}>
					{verdict}
				</Text>
			</Text>
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

function connectionText(connection: MonitorSnapshot['connection']): string {
	switch (connection.state) {
		case 'demo': {
			return '● demo';
		}

		case 'connecting': {
			return '○ connecting';
		}

		case 'waiting': {
			return `○ waiting for ${connection.path} since ${formatClock(connection.since)} (not present; serialwatch ports lists the ports)`;
		}

		case 'connected': {
			return '● connected';
		}

		case 'reconnecting': {
			return `○ reconnecting since ${formatClock(connection.since)}`;
		}
	}
}

function ConnectionState(props: {connection: MonitorSnapshot['connection']}) {
	const {state} = props.connection;
	return (
		<Text bold={state === 'reconnecting'} color={connectionColor[state]}>
			{connectionText(props.connection)}
		</Text>
	);
}
