// The whole screen: lays the panels out to fit the terminal and turns keys into the
// store's commands. It renders what the store holds and nothing else.
import {Box, Text, useInput} from 'ink';
import {useSyncExternalStore} from 'react';
import type {DashboardStore} from '../app/dashboard-store.js';
import type {Thresholds} from '../core/detector.js';
import {warningThreshold} from '../core/thresholds.js';
import {AlertTable} from './alert-table.js';
import {CurrentReading} from './current-reading.js';
import {Footer} from './footer.js';
import {Header} from './header.js';
import {HelpPanel} from './help-panel.js';
import {temperatureLevel, voltageLevel} from './levels.js';
import {NoticeLine, noticeView} from './notice-line.js';
import {RawLines} from './raw-lines.js';
import {Sparkline} from './sparkline.js';
import {formatValue} from './format.js';
import {useNow} from './use-now.js';
import {useTerminalSize} from './use-terminal-size.js';

// Lines outside the charts' bars, the notice and the panel below it: header 2, reading 1,
// the charts' label lines 2, footer 1.
const fixedRows = 6;
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
	'?'(store) {
		store.toggleHelp();
	},
};

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
	const panelRows = Math.max(
		1 + tableChrome,
		rows - fixedRows - 2 * bars - notice.lines.length,
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

	const {thresholds} = shown;
	const {temperature: t, voltage: v} = thresholds;
	return (
		<Box flexDirection="column" width={width} height={rows}>
			<Header
				snapshot={shown}
				now={now}
				width={width}
				paused={paused && {readings: (live?.valid ?? 0) - paused.valid}}
			/>
			<CurrentReading snapshot={shown} now={now} width={width} />
			<Sparkline
				label="Temperature"
				unit="°C"
				values={shown.history.temperature}
				limits={temperatureLimits(t)}
				levelOf={(value) => temperatureLevel(value, thresholds)}
				minSpan={t.max_change_c / 3}
				width={width}
				height={bars}
			/>
			<Sparkline
				label="Voltage"
				unit="V"
				values={shown.history.voltage}
				limits={`range ${formatValue(v.min_v)}-${formatValue(v.max_v)}`}
				levelOf={(value) => voltageLevel(value, thresholds)}
				minSpan={(v.max_v - v.min_v) / 4}
				width={width}
				height={bars}
			/>
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
				width={width}
			/>
		</Box>
	);
}

/** A warning band that is off (warn_c null, or not below max_c) is not shown. */
function temperatureLimits(t: Thresholds['temperature']): string {
	const warn = warningThreshold(t);
	return `${warn === undefined ? '' : `warn >${formatValue(warn, 1)} `}max >${formatValue(t.max_c, 1)} Δ>${formatValue(t.max_change_c, 1)}`;
}
