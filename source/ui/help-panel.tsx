// `?`: a refused config edit in full, what the keys do and where things are, in place of
// the alert table; cut to the rows it has.
import type {ReactElement} from 'react';
import {Box, Text} from 'ink';
import type {MonitorSnapshot} from '../app/monitor-state.js';
import {wrapText} from './format.js';

const keys: Array<[string, string]> = [
	['p', 'pause/resume the display (reading, logging and detection go on)'],
	['r', 'write anomaly_report.json now'],
	['c', 'clear resolved alerts from the table (the report keeps them)'],
	['l', 'show/hide the last lines received, as raw.log has them'],
	['↑ ↓', 'scroll the alert table by a row'],
	['f F', 'next/previous field in the large chart'],
	['PgUp PgDn', 'scroll the alert table by a page'],
	['Home', 'back to the newest alert'],
	['?', 'show/hide this help'],
	['q, Ctrl+C', 'quit: flush the files, write the final report'],
];

// A refusal is shown whole, up to this many lines (a broken file can list many problems).
const maxErrorLines = 8;

export function HelpPanel(props: {
	config: MonitorSnapshot['config'];
	reportPath: string;
	zone: MonitorSnapshot['timezone'];
	width: number;
	rows: number;
	/** The device has more number fields than full charts: f and F pick the large one. */
	fieldKeys?: boolean;
}) {
	const {config, reportPath, zone, width, rows, fieldKeys = false} = props;
	const lines: ReactElement[] = [];
	const add = (element: ReactElement) => {
		lines.push(<Box key={lines.length}>{element}</Box>);
	};

	if (config.error !== undefined) {
		add(
			<Text bold color="red">
				{`Last edit of ${config.path} refused, the last valid config is kept:`}
			</Text>,
		);
		const message = config.error
			.split('\n')
			.flatMap((line) => wrapText(line, width, maxErrorLines));
		for (const line of message.slice(0, maxErrorLines)) {
			add(<Text color="red">{line}</Text>);
		}

		add(<Text> </Text>);
	}

	add(<Text bold>Keys</Text>);
	for (const [key, text] of keys) {
		if (key === 'f F' && !fieldKeys) {
			continue;
		}

		add(
			<Text>
				<Text bold>{key.padEnd(10)}</Text> {text}
			</Text>,
		);
	}

	add(<Text> </Text>);
	add(
		<Text>
			{config.source === 'defaults'
				? `Built-in defaults: create ${config.path} while this runs to retune the thresholds.`
				: `Edit ${config.path} while this runs to retune the thresholds; the change shows above the alerts.`}
		</Text>,
	);
	add(
		<Text>
			Times are {zone === 'utc' ? 'UTC, as in the files' : 'local'}{' '}
			(ui.timezone). Report: {reportPath}
		</Text>,
	);
	// A line longer than the width wraps: the box cuts what would not fit.
	return (
		<Box flexDirection="column" height={rows} overflow="hidden">
			{lines.slice(0, Math.max(1, rows))}
		</Box>
	);
}
