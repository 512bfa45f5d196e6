// `?`: a refused config edit in full, what the keys do and where things are, in place of
// the alert table; cut to the rows it has, the last of them saying how many lines are below.
import type {ReactElement} from 'react';
import {Box, Text} from 'ink';
import type {MonitorSnapshot} from '../app/monitor-state.js';
import {truncate, wrapText} from './format.js';

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
// The key column: the longest key and a space.
const keyWidth = 11;

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
	// Every element is one row, wrapped here to the width: a line that Ink wrapped would be
	// taller than counted, and a column box too short for its children shrinks them (Yoga's
	// flexShrink), some to no height, so that the next row is drawn over them.
	const lines: ReactElement[] = [];
	const add = (element: ReactElement) => {
		lines.push(
			<Box key={lines.length} flexShrink={0}>
				{element}
			</Box>,
		);
	};

	const addWrapped = (text: string) => {
		for (const line of wrapText(text, width, Number.POSITIVE_INFINITY)) {
			add(<Text>{line}</Text>);
		}
	};

	if (config.error !== undefined) {
		add(
			<Text bold color="red">
				{truncate(
					`Last edit of ${config.path} refused, the last valid config is kept:`,
					width,
				)}
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

		const [first = '', ...rest] = wrapText(
			text,
			Math.max(1, width - keyWidth),
			Number.POSITIVE_INFINITY,
		);
		add(
			<Text>
				<Text bold>{key.padEnd(keyWidth - 1)}</Text> {first}
			</Text>,
		);
		for (const line of rest) {
			add(<Text>{' '.repeat(keyWidth) + line}</Text>);
		}
	}

	add(<Text> </Text>);
	addWrapped(
		config.source === 'defaults'
			? `Built-in defaults: create ${config.path} while this runs to retune the thresholds.`
			: `Edit ${config.path} while this runs to retune the thresholds; the change shows above the alerts.`,
	);
	addWrapped(
		`Times are ${zone === 'utc' ? 'UTC, as in the files' : 'local'} (ui.timezone). Report: ${reportPath}`,
	);
	const fits = Math.max(1, rows);
	if (lines.length <= fits) {
		return <Box flexDirection="column">{lines}</Box>;
	}

	const below = lines.length - (fits - 1);
	return (
		<Box flexDirection="column">
			{lines.slice(0, fits - 1)}
			<Box flexShrink={0}>
				<Text dimColor>
					{truncate(
						`… ${below} more lines below: a taller terminal shows them`,
						width,
					)}
				</Text>
			</Box>
		</Box>
	);
}
