// Reads config.yaml. The default path may be absent (built-in defaults apply, so the
// tool runs from any directory); a path the user named must exist.
import {existsSync, readFileSync} from 'node:fs';
import {
	ConfigError,
	defaultConfig,
	parseConfig,
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

export function loadConfig(path: string | undefined): Config {
	const file = path ?? defaultConfigPath;
	if (path === undefined && !existsSync(file)) {
		return defaultConfig;
	}

	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		throw new ConfigError([
			`${file}: cannot read the config file (${errorCode(error) ?? errorMessage(error)})`,
		]);
	}

	return parseConfig(text, file);
}
