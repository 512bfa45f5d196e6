// The alerts, newest first: a window of `rows` rows from `scroll`, drawn with
// @alcalzone/ink-table and coloured by severity and state.
import {Table, type CellProps} from '@alcalzone/ink-table';
import {Box, Text} from 'ink';
import type {AlertRow} from '../app/monitor-state.js';
import {alertSummary} from './alert-summary.js';
import {
	formatClock,
	formatDuration,
	truncate,
	type ClockZone,
} from './format.js';

type Column = 'time' | 'severity' | 'sev' | 'type' | 'state' | 'description';
type Row = Partial<Record<Column, string>>;

// ink-table draws a separator line between rows; on a 24-line terminal every line counts.
class CompactTable extends Table<Row> {
	override separator = () => <Box />;
}

// The rule keeps the report's name at every width, so what the screen shows can be
// searched for in the report; the other columns give way first. From 120 columns (the
// width used leaves the last one empty) the full severity and the report's own
// description; narrower, CRIT/WARN and a few-word summary.
const wideFrom = 119;
// Below 90 columns, the start time goes: the state column's duration says how long ago.
const timeFrom = 89;
// Narrower than its heading, the description column goes instead.
const minDescription = 'description'.length;

export function AlertTable(props: {
	alerts: readonly AlertRow[];
	scroll: number;
	rows: number;
	width: number;
	now: number;
	dropped: number;
	zone: ClockZone;
}) {
	const {alerts, scroll, rows, width, now, dropped, zone} = props;
	const wide = width >= wideFrom;
	const firing = alerts.filter((alert) => alert.end === null).length;
	const cells = alerts.slice(scroll, scroll + rows).map((alert) => ({
		time: formatClock(alert.start, zone),
		severity: alert.severity,
		sev: alert.severity.slice(0, 4),
		type: alert.type,
		state:
			alert.end === null
				? `FIRING ${formatDuration(now - alert.start)}`
				: `RESOLVED ${formatDuration(alert.end - alert.start)}`,
		description: wide ? alert.description : alertSummary(alert),
	}));
	const fixed: Column[] = [
		...(width >= timeFrom ? (['time'] as const) : []),
		wide ? 'severity' : 'sev',
		'type',
		'state',
	];
	// ink-table sizes each column to its longest cell or heading, plus a space each side,
	// and draws a border before each column and after the last.
	const used = fixed
		.map(
			(column) =>
				Math.max(column.length, ...cells.map((cell) => cell[column].length)) +
				3,
		)
		.reduce((sum, columnWidth) => sum + columnWidth, 1);
	const descriptionWidth = width - used - 3;
	const shown: Column[] =
		descriptionWidth >= minDescription ? [...fixed, 'description'] : fixed;
	const data: Row[] = cells.map((cell) =>
		Object.fromEntries(
			shown.map((column) => [
				column,
				column === 'description'
					? truncate(cell.description, descriptionWidth)
					: cell[column],
			]),
		),
	);
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
