// The whole screen: lays the panels out to fit the terminal and turns keys into the
// store's commands. It renders what the store holds and nothing else.
import {Box, Text, useInput} from 'ink';
import {useSyncExternalStore} from 'react';
import type {DashboardStore} from '../app/dashboard-store.js';
import type {FieldView} from '../app/monitor-state.js';
import {AlertTable} from './alert-table.js';
import {CurrentReading} from './current-reading.js';
import {Footer} from './footer.js';
import {Header} from './header.js';
import {HelpPanel} from './help-panel.js';
import {valueLevel} from './levels.js';
import {NoticeLine, noticeView} from './notice-line.js';
import {RawLines} from './raw-lines.js';
import {Sparkline} from './sparkline.js';
import {SparkRow} from './spark-row.js';
import {limitsText, minSpan} from './field-chart.js';
import {formatValue} from './format.js';
import {predictionText} from './prediction-text.js';
import {useNow} from './use-now.js';
import {useTerminalSize} from './use-terminal-size.js';

// Lines outside the charts, the notice and the panel below it: header 2, reading 1, footer 1.
const fixedRows = 4;
// Number fields charted in full, one above the other; with more, each gets a row of its
// own and one of them (`f` picks it) the full chart.
const maxFullCharts = 2;
// A row's label column, at most.
const maxLabelWidth = 14;
// The alert table's own lines: its title, borders and heading.
const tableChrome = 4;
// Below this the panels cannot fit; a line says so instead.
const minColumns = 60;
const minRows = 16;
// A notice (a refused config edit) wraps over at most this many lines.
const maxNoticeLines = 3;

/**
 * Rows of bars per chart: one up to 24 lines, then two of every five more lines, up to
 * ten, so a tall terminal shows the history in detail and the table still gets most rows.
 */
export function chartHeight(rows: number): number {
	return Math.min(10, Math.max(1, 1 + Math.floor(((rows - 24) * 2) / 5)));
}

const keyCommands: Record<
	string,
	(store: DashboardStore, now: number) => void
> = {
	q(store) {
		store.quit();
	},
	p(store, now) {
		store.togglePause(now);
	},
	r(store) {
		store.writeReport();
	},
	c(store, now) {
		store.clearResolved(now);
	},
	l(store) {
		store.toggleLines();
	},
	f(store) {
		store.selectField(1);
	},
	F(store) {
		store.selectField(-1);
	},
	'?'(store) {
		store.toggleHelp();
	},
};

/**
 * Full charts, each a label line and its bars; or, with more number fields than that, the
 * picked one in full and a row per field, as many rows as leave the alert table its
 * smallest size. The panel below takes what is left.
 */
export function chartLayout(
	charts: number,
	rows: number,
	bars: number,
	noticeLines: number,
): {compact: boolean; rowsShown: number; panelRows: number} {
	const compact = charts > maxFullCharts;
	const chartRows = compact ? 1 + bars : charts * (1 + bars);
	const rowsShown = compact
		? Math.max(
				1,
				Math.min(
					charts,
					rows - fixedRows - chartRows - noticeLines - (1 + tableChrome),
				),
			)
		: 0;
	const panelRows = Math.max(
		1 + tableChrome,
		rows - fixedRows - chartRows - rowsShown - noticeLines,
	);
	return {compact, rowsShown, panelRows};
}

type Chart = {field: Extract<FieldView, {type: 'number'}>; index: number};

export function Dashboard(props: {
	store: DashboardStore;
	/** The wall clock; tests pass their own. */
	clock?: () => number;
}) {
	const {store, clock = Date.now} = props;
	const view = useSyncExternalStore(store.subscribe, store.getSnapshot);
	const {columns, rows} = useTerminalSize();
	const now = useNow(1000, view.paused?.at, clock);
	// The last column stays empty: a full line wraps in some terminals.
	const width = Math.max(20, columns - 1);
	const bars = chartHeight(rows);
	const notice = noticeView({
		notices: [view.live?.notice, view.notice],
		lastBadLine: view.shown?.lastBadLine,
		now,
		width,
		zone: view.shown?.timezone ?? 'utc',
		maxLines: maxNoticeLines,
	});
	const charts: Chart[] = (view.shown?.fields ?? []).flatMap((field, index) =>
		field.type === 'number' ? [{field, index}] : [],
	);
	const {compact, rowsShown, panelRows} = chartLayout(
		charts.length,
		rows,
		bars,
		notice.lines.length,
	);
	const tableRows = panelRows - tableChrome;

	useInput((input, key) => {
		if (key.ctrl) {
			if (input === 'c') {
				store.quit();
			}

			return;
		}

		// Keys typed quickly (or over a slow SSH link) arrive together: each one counts.
		for (const character of input) {
			const command = keyCommands[character];
			if (command) {
				command(store, clock());
			}
		}

		if (key.upArrow) {
			store.scroll(-1, tableRows);
		} else if (key.downArrow) {
			store.scroll(1, tableRows);
		} else if (key.pageUp) {
			store.scroll(-tableRows, tableRows);
		} else if (key.pageDown) {
			store.scroll(tableRows, tableRows);
		} else if (key.home) {
			store.scroll(-view.scroll, tableRows);
		}
	});

	const {shown, live, paused} = view;
	if (!shown) {
		return <Text>serialwatch: opening the port…</Text>;
	}

	if (columns < minColumns || rows < minRows) {
		return (
			<Text>
				{columns}x{rows} is too small: the dashboard needs {minColumns}x
				{minRows}. Logging goes on; q quits.
			</Text>
		);
	}

	const picked =
		((view.field % Math.max(1, charts.length)) + charts.length) %
		Math.max(1, charts.length);
	const predictionOf = ({field, index}: Chart) => {
		const prediction = shown.predicted[index];
		return prediction && predictionText(prediction, field, now);
	};

	const chart = ({field, index}: Chart) => (
		<Sparkline
			key={field.name}
			label={field.label}
			unit={field.unit}
			values={shown.history[index] ?? []}
			limits={limitsText(field)}
			levelOf={(value) => valueLevel(field.bands, value)}
			minSpan={minSpan(field)}
			width={width}
			height={bars}
			decimals={field.decimals}
			prediction={predictionOf({field, index})}
		/>
	);
	// The window of rows keeps the picked field in sight.
	const firstRow = Math.min(
		Math.max(0, picked - Math.floor(rowsShown / 2)),
		charts.length - rowsShown,
	);
	const labelWidth = Math.min(
		maxLabelWidth,
		Math.max(...charts.map(({field}) => field.label.length)),
	);
	const valueWidth = Math.max(
		...charts.map(({field, index}) => {
			const last = shown.history[index]?.at(-1);
			return last === undefined
				? 1
				: formatValue(last, field.decimals).length + field.unit.length;
		}),
	);
	const predictionWidth = Math.max(
		0,
		...charts.map((each) => predictionOf(each)?.length ?? 0),
	);
	return (
		<Box flexDirection="column" width={width} height={rows}>
			<Header
				snapshot={shown}
				now={now}
				width={width}
				paused={paused && {readings: (live?.valid ?? 0) - paused.valid}}
			/>
			<CurrentReading snapshot={shown} now={now} width={width} />
			{compact ? chart(charts[picked]!) : charts.map((each) => chart(each))}
			{compact
				? charts
						.slice(firstRow, firstRow + rowsShown)
						.map(({field, index}, row) => (
							<SparkRow
								key={field.name}
								label={field.label}
								labelWidth={labelWidth}
								unit={field.unit}
								decimals={field.decimals}
								values={shown.history[index] ?? []}
								valueWidth={valueWidth}
								prediction={predictionOf({field, index})}
								predictionWidth={predictionWidth}
								levelOf={(value) => valueLevel(field.bands, value)}
								minSpan={minSpan(field)}
								selected={firstRow + row === picked}
								width={width}
							/>
						))
				: null}
			<NoticeLine view={notice} />
			{/* Clipped in height only: its lines are fitted to the width already, and Ink cuts
			every line of a horizontally clipped box with slice-ansi, a third of a frame's cost
			with a full alert table. */}
			<Box flexGrow={1} flexDirection="column" overflowY="hidden">
				{view.panel === 'help' ? (
					<HelpPanel
						config={shown.config}
						reportPath={shown.reportPath}
						zone={shown.timezone}
						width={width}
						rows={panelRows}
						fieldKeys={compact}
					/>
				) : view.panel === 'lines' ? (
					<RawLines
						lines={shown.rawLines}
						rows={panelRows - 1}
						width={width}
						zone={shown.timezone}
					/>
				) : (
					<AlertTable
						alerts={view.alerts}
						scroll={view.scroll}
						rows={tableRows}
						width={width}
						now={now}
						dropped={shown.alertsDropped}
						zone={shown.timezone}
					/>
				)}
			</Box>
			<Footer
				paused={paused !== undefined}
				quitting={view.quitting}
				panel={view.panel}
				fieldKeys={compact}
				width={width}
			/>
		</Box>
	);
}
