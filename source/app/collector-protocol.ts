// The messages between the dashboard's main thread (the screen) and its worker (the
// port, the files, the detector).
import type {Config} from '../core/config.js';
import type {MonitorOverrides} from '../core/config-overrides.js';
import type {MonitorSnapshot} from './monitor-state.js';

export type WorkerInput = {
	/** The config as loaded and overridden by the command line. */
	config: Config;
	/** The file watched for live retuning. */
	configPath: string;
	overrides: MonitorOverrides;
	demo: boolean;
	durationS: number | undefined;
};

export type ToWorker =
	/** The screen took the last snapshot: the worker may send the next (no queue builds up behind a stalled terminal). */
	{type: 'ack'} | {type: 'report'} | {type: 'stop'};

export type FromWorker =
	| {type: 'state'; snapshot: MonitorSnapshot}
	/** The run is over (or never started): what to print once the screen is restored, and the exit code. */
	| {type: 'done'; code: number; message: string};
