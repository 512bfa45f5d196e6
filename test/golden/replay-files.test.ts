// `serialwatch replay` (the built dist/cli.js, built-in defaults) of each golden raw.log
// writes the CSV, the error log and the report byte for byte as the golden files hold them.
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {sameBytes} from './golden-compare.js';
import {
	goldenCases,
	rawLogPath,
	readGolden,
	replayFiles,
	replayInto,
} from './golden-run.js';

for (const name of goldenCases) {
	test(`replay of the ${name} raw.log writes the golden files`, async (t) => {
		const dir = temporaryDirectory(t, 'golden-replay');
		const out = join(dir, 'out');
		await replayInto(rawLogPath(name), dir, out);
		for (const file of replayFiles) {
			sameBytes(
				t,
				readFileSync(join(out, file)),
				readGolden(name, file),
				`${name}/${file}`,
			);
		}
	});
}
