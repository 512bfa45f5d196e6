// The version in package.json, read once: the build_info metric names it. From source/ and
// from dist/ alike the file is two directories up.
import {readFileSync} from 'node:fs';

let version: string | undefined;

export function packageVersion(): string {
	if (version === undefined) {
		try {
			const text = readFileSync(
				new URL('../../package.json', import.meta.url),
				'utf8',
			);
			const parsed: unknown = JSON.parse(text);
			version =
				typeof parsed === 'object' &&
				parsed !== null &&
				'version' in parsed &&
				typeof parsed.version === 'string'
					? parsed.version
					: 'unknown';
		} catch {
			version = 'unknown';
		}
	}

	return version;
}
