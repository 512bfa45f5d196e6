// The top two lines: where the data comes from and how the run is going.
import {Box, Text} from 'ink';
import type {MonitorSnapshot} from '../app/monitor-state.js';
import {formatClock, formatUptime, truncate} from './format.js';

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
	return (
		<Box flexDirection="column">
			<Box>
				<Text bold>serialwatch </Text>
				<Text>{truncate(origin, Math.max(10, width - 60))} </Text>
				<ConnectionState connection={connection} />
				<Text> up {formatUptime(now - snapshot.startedAt)}</Text>
				{paused ? (
					<Text bold inverse color="yellow">
						{` PAUSED +${paused.readings} readings `}
					</Text>
				) : null}
			</Box>
			<Box>
				<Text>
					lines {snapshot.lines} · {snapshot.rate.toFixed(1)}/s · parse
					errors{' '}
				</Text>
				<Text color={snapshot.malformed > 0 ? 'yellow' : undefined}>
					{snapshot.malformed}
				</Text>
				<Text> · config {truncate(config.path, 30)} </Text>
				{config.valid ? (
					<Text color="green">valid</Text>
				) : (
					<Text bold color="red">
						INVALID (last valid kept)
					</Text>
				)}
			</Box>
		</Box>
	);
}

function ConnectionState(props: {connection: MonitorSnapshot['connection']}) {
	const {connection} = props;
	switch (connection.state) {
		case 'demo': {
			return <Text color="cyan">● demo</Text>;
		}

		case 'connecting': {
			return <Text color="yellow">○ connecting</Text>;
		}

		case 'connected': {
			return <Text color="green">● connected</Text>;
		}

		case 'reconnecting': {
			return (
				<Text bold color="red">
					○ reconnecting since {formatClock(connection.since)}
				</Text>
			);
		}
	}
}
