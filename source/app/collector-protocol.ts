// The messages between the dashboard's two processes: the screen (it draws and forwards
// keys) and the collector (it owns the port, the files, the detector and the config).
import type {Config} from '../core/config.js';
import type {MonitorOverrides} from '../core/config-overrides.js';
import type {MonitorSnapshot} from './monitor-state.js';

export type CollectorInput = {
	/** The config as loaded and overridden by the command line. */
	config: Config;
	/** The file watched for live retuning. */
	configPath: string;
	/** Whether the config came from that file, or from the built-in defaults (no file there). */
	configSource: 'file' | 'defaults';
	overrides: MonitorOverrides;
	demo: boolean;
	durationS: number | undefined;
};

export type ToCollector =
	/** The first message: what to run. */
	| {type: 'start'; input: CollectorInput}
	/** The screen took the last snapshot: the collector may send the next (no queue builds up behind a stalled terminal). */
	| {type: 'ack'}
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
