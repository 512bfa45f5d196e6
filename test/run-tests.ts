// `npm test`'s AVA run: AVA itself, then one line on the tests that a missing tool set
// aside (see helpers/require-tool.ts). The exit code is AVA's.
import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import process from 'node:process';
import {
	skippedTestsVariable,
	summarizeSkippedTests,
} from './helpers/skipped-tests.js';

// A directory of this run's own, so that a run never reads what another left.
const dir = mkdtempSync(join(tmpdir(), 'serialwatch-test-run-'));
const file = join(dir, 'skipped.jsonl');
// AVA's command line sits beside its main module (the package exports only the latter).
const ava = join(
	dirname(createRequire(import.meta.url).resolve('ava')),
	'cli.mjs',
);
try {
	const result = spawnSync(process.execPath, [ava, ...process.argv.slice(2)], {
		stdio: 'inherit',
		env: {...process.env, [skippedTestsVariable]: file},
	});
	const summary = summarizeSkippedTests(file);
	if (summary) {
		process.stdout.write(`\n  ${summary}\n`);
	}

	process.exitCode = result.status ?? 1;
} finally {
	rmSync(dir, {recursive: true, force: true});
}
