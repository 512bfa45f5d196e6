// `serialwatch init [FILE]`: a starting config, the repository's own config.yaml: every key
// with its default and a comment on what it does.
import {readFileSync, writeFileSync} from 'node:fs';
import {errorCode} from '../core/error-message.js';
import {defaultConfigPath} from '../adapters/config-file.js';
import type {CommandIo} from './command-io.js';
import {wrongPathError} from './input-file-error.js';
import {UsageError} from './usage-error.js';

// Shipped in the package beside dist/ ("files" in package.json); two levels up from here
// in both source/commands and dist/commands.
const defaultConfigFile = new URL('../../config.yaml', import.meta.url);

export function init(path: string | undefined, io: CommandIo): number {
	const target = path ?? defaultConfigPath;
	const text = readFileSync(defaultConfigFile, 'utf8');
	try {
		// 'wx': never over an existing file, even one created since a check.
		writeFileSync(target, text, {flag: 'wx'});
	} catch (error) {
		if (errorCode(error) === 'EEXIST') {
			throw new UsageError(
				`${target} already exists; it was left as it is. Write the defaults elsewhere (serialwatch init other.yaml) or remove it first.`,
			);
		}

		throw wrongPathError('write', target, error) ?? error;
	}

	const run =
		path === undefined ? 'serialwatch' : `serialwatch --config ${target}`;
	io.stdout(
		`serialwatch init: wrote ${target}: the default config, every key commented. Edit it, then run: ${run}\n`,
	);
	return 0;
}
