// The alerts, newest first: a window of `rows` rows from `scroll`, drawn with
// @alcalzone/ink-table and coloured by severity and state.
import {Table, type CellProps} from '@alcalzone/ink-table';
import {Box, Text} from 'ink';
import type {AlertRow} from '../app/monitor-state.js';
import {alertSummary, shortTypes} from './alert-summary.js';
import {formatClock, formatDuration, truncate} from './format.js';

type Row = {
	time: string;
	severity: string;
	type: string;
	state: string;
	description: string;
};

const columns: Array<keyof Row> = [
	'time',
	'severity',
	'type',
	'state',
	'description',
];

// ink-table draws a separator line between rows; on a 24-line terminal every line counts.
class CompactTable extends Table<Row> {
	override separator = () => <Box />;
}

// Below this width the table uses short type names and a few-word description.
const wideFrom = 120;
// Below this, the start time goes: the state column's duration says how long ago.
const timeFrom = 80;

export function AlertTable(props: {
	alerts: readonly AlertRow[];
	scroll: number;
	rows: number;
	width: number;
	now: number;
	dropped: number;
}) {
	const {alerts, scroll, rows, width, now, dropped} = props;
	const wide = width >= wideFrom;
	const shown = width >= timeFrom ? columns : columns.slice(1);
	// Borders (one more than the columns) and one space of padding on each side of each.
	const chrome = shown.length + 1 + shown.length * 2;
	const firing = alerts.filter((alert) => alert.end === null).length;
	const cells = alerts.slice(scroll, scroll + rows).map((alert) => ({
		time: formatClock(alert.start),
		severity: wide ? alert.severity : alert.severity.slice(0, 4),
		type: wide ? alert.type : shortTypes[alert.type],
		state:
			alert.end === null
				? `FIRING ${formatDuration(now - alert.start)}`
				: `RESOLVED ${formatDuration(alert.end - alert.start)}`,
		description: wide ? alert.description : alertSummary(alert),
	}));
	// ink-table sizes each column to its longest cell or heading.
	const used = shown
		.filter((column) => column !== 'description')
		.map((column) =>
			Math.max(column.length, ...cells.map((cell) => cell[column].length)),
		)
		.reduce((sum, columnWidth) => sum + columnWidth, 0);
	const descriptionWidth = Math.max(11, width - 1 - chrome - used);
	const data = cells.map((cell) => ({
		...cell,
		description: truncate(cell.description, descriptionWidth),
	}));
	const position =
		alerts.length > rows
			? ` · ${scroll + 1}-${scroll + data.length} of ${alerts.length} (↑↓ PgUp PgDn)`
			: '';
	return (
		<Box flexDirection="column">
			<Text>
				<Text bold>Alerts</Text>{' '}
				<Text color={firing > 0 ? 'red' : 'green'}>{firing} firing</Text>
				<Text>
					{' '}
					· {alerts.length} listed{position}
					{dropped > 0 ? ` · ${dropped} older ones in the report only` : ''}
				</Text>
			</Text>
			{data.length === 0 ? (
				<Text dimColor>No alerts.</Text>
			) : (
				<CompactTable data={data} columns={shown} cell={AlertCell} />
			)}
		</Box>
	);
}

/** Cells know neither their row nor their column name: severity and state words carry the colour. */
function AlertCell(props: CellProps) {
	const text = typeof props.children === 'string' ? props.children.trim() : '';
	const color = /^(CRIT|CRITICAL)$/.test(text)
		? 'red'
		: /^(WARN|WARNING)$/.test(text)
			? 'yellow'
			: /^FIRING \S+$/.test(text)
				? 'red'
				: /^RESOLVED \S+$/.test(text)
					? 'green'
					: undefined;
	return (
		<Text bold={color === 'red'} color={color}>
			{props.children}
		</Text>
	);
}
