// `?`: what the keys do and what the screen shows, in place of the alert table.
import {Box, Text} from 'ink';

const keys: Array<[string, string]> = [
	['p', 'pause/resume the display (reading, logging and detection go on)'],
	['r', 'write anomaly_report.json now'],
	['c', 'clear resolved alerts from the table (the report keeps them)'],
	['↑ ↓', 'scroll the alert table by a row'],
	['PgUp PgDn', 'scroll the alert table by a page'],
	['Home', 'back to the newest alert'],
	['?', 'show/hide this help'],
	['q, Ctrl+C', 'quit: flush the files, write the final report'],
];

export function HelpPanel(props: {configPath: string; reportPath: string}) {
	return (
		<Box flexDirection="column">
			<Text bold>Keys</Text>
			{keys.map(([key, text]) => (
				<Text key={key}>
					<Text bold>{key.padEnd(10)}</Text> {text}
				</Text>
			))}
			<Text> </Text>
			<Text>
				Edit {props.configPath} while this runs to retune the thresholds; the
				change shows above the alerts.
			</Text>
			<Text>Report: {props.reportPath}</Text>
		</Box>
	);
}
