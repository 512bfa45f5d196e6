// `serialwatch replay` (the built dist/cli.js, built-in defaults) of each golden raw.log
// writes the CSV, the error log and the report byte for byte as the golden files hold them,
// also in a process that disallows code generation from strings, where the generated fast
// paths (the codec's reader, the detector's fan-out to its rules) fall back to their loops.
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

const flagSets = [
	{name: '', flags: []},
	{
		name: ' without code generation from strings',
		flags: ['--disallow-code-generation-from-strings'],
	},
] as const;

for (const name of goldenCases) {
	for (const {name: how, flags} of flagSets) {
		test(`replay of the ${name} raw.log writes the golden files${how}`, async (t) => {
			const dir = temporaryDirectory(t, 'golden-replay');
			const out = join(dir, 'out');
			await replayInto(rawLogPath(name), dir, out, flags);
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
}
