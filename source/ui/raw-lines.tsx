// `l`: the last lines received, as raw.log has them, with their line numbers there and
// when they arrived, escaped as everywhere on screen: the evidence behind a reading or an
// alert without leaving the dashboard.
import {Box, Text} from 'ink';
import type {MonitorSnapshot} from '../app/monitor-state.js';
import {formatClockMs, truncate, type ClockZone} from './format.js';

export function RawLines(props: {
	lines: MonitorSnapshot['rawLines'];
	/** Rows for the lines, below the title. */
	rows: number;
	width: number;
	zone: ClockZone;
}) {
	const {rows, width, zone} = props;
	const lines = props.lines.slice(-Math.max(1, rows));
	const numberWidth = String(lines.at(-1)?.line ?? 0).length;
	const title =
		'Raw lines, newest last: raw.log line, time received, the line · l: alerts';
	return (
		<Box flexDirection="column">
			<Text bold>{truncate(title, width)}</Text>
			{lines.length === 0 ? (
				<Text dimColor>No line received yet.</Text>
			) : (
				lines.map(({line, time, text}) => {
					const prefix = `${String(line).padStart(numberWidth)} ${formatClockMs(time, zone)} `;
					return (
						<Text key={line}>
							<Text dimColor>{prefix}</Text>
							{truncate(text, width - prefix.length)}
						</Text>
					);
				})
			)}
		</Box>
	);
}
