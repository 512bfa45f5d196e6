// Reads config.yaml. The default path may be absent (built-in defaults apply, so the
// tool runs from any directory); a path the user named must exist.
import {Buffer} from 'node:buffer';
import {
	closeSync,
	constants,
	existsSync,
	fstatSync,
	openSync,
	readSync,
} from 'node:fs';
import {
	ConfigError,
	defaultConfig,
	maxConfigFileBytes,
	parseConfigWithWarnings,
	type Config,
} from '../core/config.js';
import {errorCode, errorMessage} from '../core/error-message.js';

export const defaultConfigPath = 'config.yaml';

/** Where loadConfig's settings come from: the file, or the built-in defaults when it found none. */
export function configSource(path: string | undefined): 'file' | 'defaults' {
	return path === undefined && !existsSync(defaultConfigPath)
		? 'defaults'
		: 'file';
}

/**
 * The config at `path` (the default path may be absent: then the defaults). What is legal
 * but likely not meant (a warning band that is off) goes to `onWarning`, by file and line.
 */
export function loadConfig(
	path: string | undefined,
	onWarning: (warning: string) => void = () => undefined,
): Config {
	const file = path ?? defaultConfigPath;
	if (path === undefined && !existsSync(file)) {
		return defaultConfig;
	}

	let text: string;
	try {
		text = readConfigText(file);
	} catch (error) {
		if (error instanceof ConfigError) {
			throw error;
		}

		const code = errorCode(error);
		throw new ConfigError([
			code === 'ENOENT'
				? `${file}: no such file: write one (serialwatch init ${file}) or name another with --config`
				: `${file}: cannot read the config file (${code ?? errorMessage(error)})`,
		]);
	}

	const {config, warnings} = parseConfigWithWarnings(text, file);
	for (const warning of warnings) {
		onWarning(warning);
	}

	return config;
}

/**
 * The text of a config file, of which at most maxConfigFileBytes are ever read: a bigger
 * file, or a directory, FIFO or socket at the path, is a ConfigError naming the file and
 * what to do. Errors of the read itself (ENOENT) are thrown as they are.
 */
export function readConfigText(path: string): string {
	const tooBig = new ConfigError([
		`${path}: the file is larger than ${maxConfigFileBytes} bytes (1 MiB), the most a config file may be`,
	]);
	// Non-blocking: opening a FIFO for reading waits for a writer, and would stop the whole
	// monitor (its logging too) until one came; a signal could not even stop it.
	// eslint-disable-next-line no-bitwise -- open(2) flags
	const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
	try {
		const stat = fstatSync(fd);
		const kind = stat.isDirectory()
			? 'a directory'
			: stat.isFIFO()
				? 'a FIFO (named pipe)'
				: stat.isSocket()
					? 'a socket'
					: undefined;
		if (kind) {
			throw new ConfigError([
				`${path}: this is ${kind}, not a config file: put the config file at this path, or name it with --config`,
			]);
		}

		if (stat.size > maxConfigFileBytes) {
			throw tooBig;
		}

		// Read to the limit and one byte past it, not trusting the size: the file may grow,
		// or not be a regular file.
		const buffer = Buffer.alloc(maxConfigFileBytes + 1);
		let length = 0;
		while (length < buffer.length) {
			const read = readSync(fd, buffer, length, buffer.length - length, null);
			if (read === 0) {
				break;
			}

			length += read;
		}

		if (length > maxConfigFileBytes) {
			throw tooBig;
		}

		return buffer.toString('utf8', 0, length);
	} finally {
		closeSync(fd);
	}
}
