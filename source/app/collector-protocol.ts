// The messages between the dashboard's two processes: the screen (it draws and forwards
// keys) and the collector (it owns the port, the files, the detector and the config).
import type {MonitorOptions} from './monitor-options.js';
import type {MonitorSnapshot} from './monitor-state.js';

/** The collector runs what a headless monitor would. */
export type CollectorInput = MonitorOptions;

export type ToCollector =
	/** The first message: what to run. */
	| {type: 'start'; input: CollectorInput}
	/**
	 * The screen took the last snapshot: the collector may send the next (no queue builds up
	 * behind a stalled terminal), not before `readyInMs` (when the screen may draw again: a
	 * snapshot sooner would be replaced unseen, at both processes' cost).
	 */
	| {type: 'ack'; readyInMs?: number}
	| {type: 'report'}
	| {type: 'stop'};

export type FromCollector =
	| {type: 'state'; snapshot: MonitorSnapshot}
	/** The run is over (or never started): what to print once the screen is restored, and the exit code. */
	| {type: 'done'; code: number; message: string};

/** How the collector talks to its screen; a process's IPC channel, or a test's double. */
export type CollectorChannel = {
	send(message: FromCollector): void;
	/** The screen's messages after 'start'. */
	onMessage(listener: (message: ToCollector) => void): void;
	/** The screen went away (it exited or was killed): stop as on a signal. */
	onDisconnect(listener: () => void): void;
};
