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
// Borders (6) and one space of padding on each side of the five columns (10).
const chrome = 16;

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
	const used = (['time', 'severity', 'type', 'state'] as const)
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
				<CompactTable data={data} columns={columns} cell={AlertCell} />
			)}
		</Box>
	);
}

/** Cells know their column, not their row: severity and state carry the colour. */
function AlertCell(props: CellProps) {
	const text = typeof props.children === 'string' ? props.children : '';
	const column = columns[props.column];
	const color =
		column === 'severity'
			? text.includes('CRIT')
				? 'red'
				: 'yellow'
			: column === 'state'
				? text.includes('FIRING')
					? 'red'
					: 'green'
				: undefined;
	return (
		<Text bold={column === 'state' && text.includes('FIRING')} color={color}>
			{props.children}
		</Text>
	);
}
