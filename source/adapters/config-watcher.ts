// Watches config.yaml for edits while the monitor runs and hands over each new version,
// validated. It watches the directory, not the file: an editor that saves by writing a
// new file and renaming it over the old one (vim, most IDEs), or by deleting and
// recreating it, leaves a watch on the file itself on a dead inode after the first save.
import {existsSync, watch, type FSWatcher} from 'node:fs';
import {basename, dirname, resolve} from 'node:path';
import {
	ConfigError,
	parseConfigWithWarnings,
	type Config,
} from '../core/config.js';
import {errorCode, errorMessage} from '../core/error-message.js';
import {readConfigText} from './config-file.js';

export type ConfigWatchResult =
	/** `warnings`: what is legal but likely not meant, by file, line and key. */
	{ok: true; config: Config; warnings: string[]} | {ok: false; message: string};

export type ConfigWatchOptions = {
	/** Quiet time after the last event before the file is read: an editor's save is several events. */
	debounceMs?: number;
	/** How long a vanished file may stay away (a save by delete and recreate) before it is reported gone. */
	goneAfterMs?: number;
};

export type ConfigWatcher = {close(): void};

/**
 * Calls `onChange` after each edit that changes the file's text: with the new config, or
 * with the problem (a ConfigError's lines name the key and the line; a file gone for
 * `goneAfterMs`; the watch failing, after which it stops). The text at the call is the
 * starting point and is not reported. Neither the watch nor its timers keep the process
 * alive; close() stops all calls. Throws if the directory cannot be watched.
 */
export function watchConfigFile(
	path: string,
	onChange: (result: ConfigWatchResult) => void,
	options: ConfigWatchOptions = {},
): ConfigWatcher {
	const debounceMs = options.debounceMs ?? 200;
	const goneAfterMs = options.goneAfterMs ?? 2000;
	const directory = dirname(resolve(path));
	const name = basename(path);
	// What the last look found: the text, no file, or why it could not be read. Only a
	// difference from it is reported, so a touch or an identical rewrite stays quiet.
	let seen = read(path);
	let closed = false;
	let debounce: NodeJS.Timeout | undefined;
	let gone: NodeJS.Timeout | undefined;

	const report = (result: ConfigWatchResult) => {
		if (!closed) {
			onChange(result);
		}
	};

	const look = () => {
		debounce = undefined;
		if (closed) {
			return;
		}

		const found = read(path);
		if ('missing' in found) {
			if (!existsSync(directory)) {
				stop('its directory is gone');
				return;
			}

			// Perhaps between an editor's delete and its recreate: the directory's events
			// will bring it back; only if it stays away is it reported.
			gone ??= timer(() => {
				gone = undefined;
				if (!existsSync(directory)) {
					stop('its directory is gone');
				} else if (!('missing' in read(path))) {
					schedule();
				} else if (!('missing' in seen)) {
					seen = {missing: true};
					report({
						ok: false,
						message: `${path}: the file is gone (deleted or moved away): put it back to retune again (the next start reads it too)`,
					});
				}
			}, goneAfterMs);
			return;
		}

		clearTimeout(gone);
		gone = undefined;
		if (same(found, seen)) {
			return;
		}

		seen = found;
		if ('problem' in found) {
			report({ok: false, message: found.problem});
			return;
		}

		// An empty file is what a save that truncates first (`echo >`, `cp`) shows between
		// its two steps; read as "all defaults" it would undo every setting for a moment.
		if (found.text.trim() === '') {
			report({
				ok: false,
				message: `${path}: the file is empty; the config in effect stays (write {} for all defaults)`,
			});
			return;
		}

		let parsed: {config: Config; warnings: string[]};
		try {
			parsed = parseConfigWithWarnings(found.text, path);
		} catch (error) {
			// A ConfigError's lines name the key and the line. Anything else is a bug, but
			// one that should not end the monitoring from inside a timer.
			report({ok: false, message: errorMessage(error)});
			return;
		}

		report({ok: true, ...parsed});
	};

	const schedule = () => {
		clearTimeout(debounce);
		debounce = timer(look, debounceMs);
	};

	const watcher: FSWatcher = watch(
		directory,
		{persistent: false},
		(_event, file) => {
			// Some platforms give no name; the directory's own name is its removal (Linux).
			if (file === null || file === name || file === basename(directory)) {
				schedule();
			}
		},
	);
	const close = () => {
		closed = true;
		clearTimeout(debounce);
		clearTimeout(gone);
		watcher.close();
	};

	// Reported once, then the watch ends: the last valid config keeps running.
	const stop = (reason: string) => {
		report({
			ok: false,
			message: `${path}: no longer watching for edits (${reason})`,
		});
		close();
	};

	// On Windows, removing the watched directory is an EPERM error here.
	watcher.on('error', (error) => {
		stop(errorCode(error) ?? errorMessage(error));
	});

	return {close};
}

type Found = {text: string} | {missing: true} | {problem: string};

function read(path: string): Found {
	try {
		return {text: readConfigText(path)};
	} catch (error) {
		if (error instanceof ConfigError) {
			return {problem: error.message};
		}

		const code = errorCode(error);
		return code === 'ENOENT' || code === 'ENOTDIR'
			? {missing: true}
			: {
					// As loadConfig words it.
					problem: `${path}: cannot read the config file (${code ?? errorMessage(error)})`,
				};
	}
}

function same(a: Found, b: Found): boolean {
	if ('text' in a && 'text' in b) {
		return a.text === b.text;
	}

	if ('problem' in a && 'problem' in b) {
		return a.problem === b.problem;
	}

	return 'missing' in a && 'missing' in b;
}

function timer(callback: () => void, ms: number): NodeJS.Timeout {
	return setTimeout(callback, ms).unref();
}
