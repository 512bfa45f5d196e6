// `--duration S` stops S seconds after the start, as an interrupt then would, also while
// a long raw.log an earlier run left is still being taken up: the run it cut short leaves
// the report as it was and says so.
import {existsSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {runCli} from '../helpers/cli.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';

test('--duration counts from the start: a take-up of 1M earlier lines is cut short at 0.3 s and the report left as it was', async (t) => {
	const dir = temporaryDirectory(t, 'duration-take-up');
	const start = Date.parse('2020-01-01T00:00:00.000Z');
	// A million lines, no checkpoint: read in full, which takes well over a second anywhere
	// (the replay benchmark reads under a million lines a second).
	const lines: string[] = [];
	for (let index = 0; index < 1_000_000; index++) {
		lines.push(
			`${new Date(start + index * 100).toISOString()}\tT:25.00,V:5.00,S:NORMAL\n`,
		);
	}

	writeFileSync(join(dir, 'raw.log'), lines.join(''));
	const run = await runCli([
		'--headless',
		'--demo',
		'--out',
		dir,
		'--duration',
		'0.3',
	]);
	t.is(run.code, 0, `${run.stderr}`);
	t.regex(run.stderr, /taking up 10{6} earlier lines/);
	t.regex(
		run.stderr,
		/stopped while taking up .*raw\.log: .*anomaly_report\.json is left as it was/,
	);
	t.false(existsSync(join(dir, 'anomaly_report.json')), 'no report written');
});
