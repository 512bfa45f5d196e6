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
				<Text>{truncate(origin, Math.max(10, width - 60))} </Text>
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
