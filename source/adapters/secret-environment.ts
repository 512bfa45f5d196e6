// Secrets (tokens, passwords, routing keys) come from environment variables that config.yaml
// names, never from the file. A variable named but not set stops the run before it begins;
// the message names the variable, never a value. Like a bad config, that is exit 2.
import {InputError} from '../core/input-error.js';

/** The value of the variable `name` (undefined when no variable is named). */
export function secretFromEnvironment(
	environment: NodeJS.ProcessEnv,
	setting: string,
	name: string | null,
): string | undefined {
	if (name === null) {
		return undefined;
	}

	const value = environment[name];
	if (value === undefined || value === '') {
		throw new InputError('integration setting', [
			`${setting} names the environment variable ${name}, which is not set: set it, or remove ${setting} from the config`,
		]);
	}

	return value;
}
