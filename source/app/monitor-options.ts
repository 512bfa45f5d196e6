// What a monitoring run is started with, headless or behind the dashboard.
import type {Config} from '../core/config.js';
import type {MonitorOverrides} from '../core/config-overrides.js';

export type MonitorOptions = {
	/** The config as loaded, with the command line's flags over it. */
	config: Config;
	/** The file watched for live retuning. */
	configPath: string;
	/** Whether the config came from that file, or from the built-in defaults (no file there). */
	configSource: 'file' | 'defaults';
	/** The flags, applied again over every live edit of the file. */
	overrides: MonitorOverrides;
	demo: boolean;
	/** Stop after this many seconds, as if interrupted. */
	durationS: number | undefined;
};
