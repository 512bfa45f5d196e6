// The config in effect while a monitor runs, and its only owner. It starts as loaded (with
// the command line's flags over it) and follows each valid edit of the config file: the
// thresholds, the rules and the history length at once, the port and baud rate once the
// run has reconnected to them; the rest waits for a restart, the device among it (and the
// rules with it when both change). An invalid edit changes nothing. The headless monitor
// and the dashboard's collector both use it.
import {existsSync} from 'node:fs';
import {defaultConfig, type Config} from '../core/config.js';
import {
	applyMonitorOverrides,
	overriddenKeys,
	type MonitorOverrides,
} from '../core/config-overrides.js';
import {diffConfig, type ConfigChange} from '../core/config-diff.js';
import {errorMessage} from '../core/error-message.js';
import {loadConfig} from '../adapters/config-file.js';
import {
	watchConfigFile,
	type ConfigWatcher,
	type ConfigWatchOptions,
} from '../adapters/config-watcher.js';
import type {MonitorSession} from './monitor-session.js';

export type LiveConfigEvent =
	/**
	 * A valid edit, once the run has taken it (reconnected, if it changed the port): what
	 * changed (nothing, perhaps), what could not (a port that would not open: the run
	 * stayed where it was), the config now in effect, and what in it is legal but likely
	 * not meant (a warning band that is off).
	 */
	| {
			type: 'applied';
			config: Config;
			changes: ConfigChange[];
			refused: ConfigChange[];
			/** Edits of keys a command-line flag holds: they change nothing. */
			overridden: Array<{change: ConfigChange; flag: string}>;
			warnings: string[];
	  }
	/** An invalid edit, refused: the problems, by file, line and key. */
	| {type: 'rejected'; message: string}
	/** Something kept an edit from applying: the file cannot be watched, a retune failed. */
	| {type: 'problem'; message: string};

export type LiveConfig = {
	current(): Config;
	close(): void;
};

export function watchLiveConfig(options: {
	/** As loaded, with the flags over it: what the run started with. */
	config: Config;
	path: string;
	overrides: MonitorOverrides;
	session: Pick<MonitorSession, 'retune'>;
	onEvent: (event: LiveConfigEvent) => void;
	watchOptions?: ConfigWatchOptions;
}): LiveConfig {
	let inEffect = options.config;
	let closed = false;
	const heldByFlags = overriddenKeys(options.overrides);
	// The file as it was before each edit, to tell an edit that a flag overrides.
	let fileBefore = readFileConfig(options.path);
	const emit = (event: LiveConfigEvent) => {
		if (!closed) {
			options.onEvent(event);
		}
	};

	let watcher: ConfigWatcher | undefined;
	try {
		watcher = watchConfigFile(
			options.path,
			(result) => {
				if (!result.ok) {
					emit({type: 'rejected', message: result.message});
					return;
				}

				const next = applyMonitorOverrides(result.config, options.overrides);
				const changes = diffConfig(inEffect, next);
				const overridden = fileBefore
					? diffConfig(fileBefore, result.config).flatMap((change) => {
							const flag = heldByFlags.get(change.path);
							return flag ? [{change, flag}] : [];
						})
					: [];
				fileBefore = result.config;
				const rulesLive = changes.some(
					(change) =>
						change.path.startsWith('rules') && change.effect === 'live',
				);
				inEffect = withRules(
					{
						...inEffect,
						thresholds: next.thresholds,
						ui: {...inEffect.ui, history_points: next.ui.history_points},
					},
					(rulesLive ? next : inEffect).rules,
				);
				// The session retunes to the new file with what waits for a restart as it
				// is: the detector keeps judging the device it parses.
				const forSession = withRules(
					{...next, protocol: inEffect.protocol, device: inEffect.device},
					inEffect.rules,
				);
				options.session.retune(forSession, changes).then(
					(serial) => {
						inEffect = {...inEffect, serial: {...inEffect.serial, ...serial}};
						const taken = (change: ConfigChange) =>
							change.effect !== 'reconnect' ||
							(change.path === 'serial.port'
								? serial.port === change.after
								: serial.baud_rate === change.after);
						emit({
							type: 'applied',
							config: inEffect,
							changes: changes.filter((change) => taken(change)),
							refused: changes.filter((change) => !taken(change)),
							overridden,
							warnings: result.warnings,
						});
					},
					(error: unknown) => {
						emit({type: 'problem', message: errorMessage(error)});
					},
				);
			},
			options.watchOptions,
		);
	} catch (error) {
		// Monitoring goes on without live retuning; say so.
		queueMicrotask(() => {
			emit({
				type: 'problem',
				message: `not watching ${options.path}: ${errorMessage(error)}`,
			});
		});
	}

	return {
		current: () => inEffect,
		close() {
			closed = true;
			watcher?.close();
		},
	};
}

/** The config with these rules; no `rules` key at all when there are none, as parsed. */
function withRules(config: Config, rules: Config['rules']): Config {
	const {rules: _old, ...rest} = config;
	return rules === undefined ? rest : {...rest, rules};
}

/** The file's config before any edit, to compare the first edit with; none if unreadable. */
function readFileConfig(path: string): Config | undefined {
	try {
		// No file: the run took the built-in defaults.
		return existsSync(path) ? loadConfig(path) : defaultConfig;
	} catch {
		return undefined;
	}
}
