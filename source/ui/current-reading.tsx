// The latest reading, each value coloured by its level, and the heartbeat's age.
import {Box, Text} from 'ink';
import type {MonitorSnapshot} from '../app/monitor-state.js';
import {formatDuration, formatValue, truncate} from './format.js';
import {
	levelColor,
	statusLevel,
	temperatureLevel,
	voltageLevel,
} from './levels.js';

export function CurrentReading(props: {
	snapshot: MonitorSnapshot;
	now: number;
	width: number;
}) {
	const {snapshot, now, width} = props;
	const {last, thresholds, lastLineAt} = snapshot;
	const timeoutMs = thresholds.heartbeat_timeout_s * 1000;
	const age = lastLineAt === undefined ? undefined : now - lastLineAt;
	// Before the first line, a silence says nothing alarming yet: the device may not have
	// started. HEARTBEAT_LOSS still fires in the table past the timeout.
	const silent = age !== undefined && age > timeoutMs;
	const heartbeat = (
		<Text bold={silent} color={silent ? 'red' : undefined}>
			{age === undefined
				? `no line yet (${waitedFor(snapshot.connection, snapshot.startedAt, now)})`
				: `last line ${formatDuration(age)} ago`}
			{silent ? ' SILENT' : ''}
		</Text>
	);
	if (!last) {
		return (
			<Box>
				<Text dimColor>waiting for the first reading · </Text>
				{heartbeat}
			</Box>
		);
	}

	const temperature =
		levelColor[temperatureLevel(last.temperature, thresholds)];
	const voltage = levelColor[voltageLevel(last.voltage, thresholds)];
	const level = statusLevel(last.level);
	return (
		<Box>
			<Text>T </Text>
			<Text bold color={silent ? 'gray' : temperature}>
				{formatValue(last.temperature)}°C
			</Text>
			<Text> V </Text>
			<Text bold color={silent ? 'gray' : voltage}>
				{formatValue(last.voltage)}V
			</Text>
			<Text> status </Text>
			<Text bold color={levelColor[level]} dimColor={level === 'offline'}>
				{truncate(last.status, Math.max(8, width - 60))}
			</Text>
			<Text> · </Text>
			{heartbeat}
		</Box>
	);
}

/** How long lines have been awaited: since the port opened, or that it is not open. */
function waitedFor(
	connection: MonitorSnapshot['connection'],
	startedAt: number,
	now: number,
): string {
	switch (connection.state) {
		case 'demo': {
			return `started ${formatDuration(now - startedAt)} ago`;
		}

		case 'connected': {
			return `port open ${formatDuration(now - connection.since)}`;
		}

		case 'connecting':
		case 'waiting':
		case 'reconnecting': {
			return 'port not open';
		}
	}
}
