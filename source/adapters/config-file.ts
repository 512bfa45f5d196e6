// Reads config.yaml. The default path may be absent (built-in defaults apply, so the
// tool runs from any directory); a path the user named must exist.
import {existsSync, readFileSync} from 'node:fs';
import {
	ConfigError,
	defaultConfig,
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
		text = readFileSync(file, 'utf8');
	} catch (error) {
		throw new ConfigError([
			`${file}: cannot read the config file (${errorCode(error) ?? errorMessage(error)})`,
		]);
	}

	const {config, warnings} = parseConfigWithWarnings(text, file);
	for (const warning of warnings) {
		onWarning(warning);
	}

	return config;
}
