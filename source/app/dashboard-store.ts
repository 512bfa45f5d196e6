// The screen's side of the dashboard: the latest snapshot from the collector plus what
// belongs to the view alone (pause, cleared alerts, scroll, the panel shown, what a key
// did). Components read it through useSyncExternalStore and change it only through these
// commands.
import type {ToCollector} from './collector-protocol.js';
import type {FramePacer} from './frame-pacer.js';
import type {AlertRow, MonitorSnapshot, Notice} from './monitor-state.js';

/** What fills the space below the notice line: the alerts, the help, or the raw lines. */
export type DashboardPanel = 'alerts' | 'help' | 'lines';

export type DashboardView = {
	/** What the screen shows: the live snapshot, or the one frozen by a pause. */
	shown: MonitorSnapshot | undefined;
	live: MonitorSnapshot | undefined;
	paused: {at: number; valid: number; lines: number} | undefined;
	/** Alerts left after `c` cleared the resolved ones, newest first. */
	alerts: AlertRow[];
	/** First alert row shown. */
	scroll: number;
	panel: DashboardPanel;
	/**
	 * Which number field is charted large when they do not all fit, counted in steps from
	 * the first: the screen takes it modulo the number fields there are.
	 */
	field: number;
	/** What the last key done here did (the collector's notices come in the snapshot). */
	notice: Notice | undefined;
	quitting: boolean;
};

export type DashboardStore = {
	subscribe(listener: () => void): () => void;
	getSnapshot(): DashboardView;
	receive(snapshot: MonitorSnapshot): void;
	togglePause(now: number): void;
	/** Hides the resolved alerts listed now, and says how many in a notice. */
	clearResolved(now: number): void;
	/** Moves the alert table by `rows`, kept within the rows there are. */
	scroll(rows: number, visibleRows: number): void;
	toggleHelp(): void;
	/** The next (1) or previous (-1) number field charted large. */
	selectField(step: number): void;
	/** The last lines received, as raw.log has them, in place of the alerts. */
	toggleLines(): void;
	writeReport(): void;
	quit(): void;
	/** No more frames: a change still waiting for its frame is dropped. */
	close(): void;
};

export function createDashboardStore(
	send: (message: ToCollector) => void,
	/** Quit asked for again while stopping: the caller leaves without waiting. */
	forceQuit: () => void = () => undefined,
	/** Without one, listeners hear of each change at once. */
	pacer?: FramePacer,
): DashboardStore {
	const listeners = new Set<() => void>();
	const cleared = new Set<string>();
	let view: DashboardView = {
		shown: undefined,
		live: undefined,
		paused: undefined,
		alerts: [],
		scroll: 0,
		panel: 'alerts',
		field: 0,
		notice: undefined,
		quitting: false,
	};

	const visible = (snapshot: MonitorSnapshot | undefined) =>
		(snapshot?.alerts ?? []).filter((row) => !cleared.has(row.id));
	const notify = () => {
		for (const listener of listeners) {
			listener();
		}
	};

	/** `fromKey`: what a key did is drawn sooner than a new snapshot (see frame-pacer). */
	const update = (patch: Partial<DashboardView>, fromKey = true) => {
		const next = {...view, ...patch};
		view = {...next, alerts: visible(next.shown)};
		if (pacer) {
			pacer.request(notify, fromKey);
		} else {
			notify();
		}
	};

	return {
		subscribe(listener) {
			listeners.add(listener);
			return () => {
				listeners.delete(listener);
			};
		},
		getSnapshot: () => view,
		receive(snapshot) {
			if (view.paused) {
				update({live: snapshot}, false);
				return;
			}

			// Scrolled down, the view stays on the same alerts while new ones arrive on top.
			const anchor = view.scroll > 0 ? view.alerts[view.scroll]?.id : undefined;
			const alerts = visible(snapshot);
			const index = alerts.findIndex((row) => row.id === anchor);
			update(
				{
					live: snapshot,
					shown: snapshot,
					...(index > 0 && {scroll: index}),
				},
				false,
			);
		},
		togglePause(now) {
			const {live} = view;
			if (view.paused) {
				update({paused: undefined, shown: live});
			} else {
				update({
					paused: {at: now, valid: live?.valid ?? 0, lines: live?.lines ?? 0},
				});
			}
		},
		clearResolved(now) {
			const listed = new Set(view.shown?.alerts.map((row) => row.id));
			// Rows the bounded history has let go need no hiding any more.
			for (const id of cleared) {
				if (!listed.has(id)) {
					cleared.delete(id);
				}
			}

			const resolved = view.alerts.filter((row) => row.end !== null);
			for (const row of resolved) {
				cleared.add(row.id);
			}

			const count = resolved.length;
			update({
				scroll: 0,
				notice: {
					time: now,
					text:
						count === 0
							? 'nothing to clear: no resolved alert is listed'
							: `cleared ${count} resolved alert${count === 1 ? '' : 's'} from the table (the report keeps them)`,
					level: 'info',
				},
			});
		},
		scroll(rows, visibleRows) {
			const last = Math.max(0, view.alerts.length - visibleRows);
			update({scroll: Math.min(last, Math.max(0, view.scroll + rows))});
		},
		toggleHelp() {
			update({panel: view.panel === 'help' ? 'alerts' : 'help'});
		},
		selectField(step) {
			update({field: view.field + step});
		},
		toggleLines() {
			update({panel: view.panel === 'lines' ? 'alerts' : 'lines'});
		},
		writeReport() {
			send({type: 'report'});
		},
		quit() {
			if (view.quitting) {
				forceQuit();
			} else {
				send({type: 'stop'});
				update({quitting: true});
			}
		},
		close() {
			pacer?.cancel();
		},
	};
}
