// Symbolic links in place of the monitor's files, as a hostile user of the output dir plants
// them for a monitor run as root (the tests run as root here): no write ever goes through
// one to its target outside --out. A link where an output file, the lock or a state
// directory should be is refused at start, naming it, exit 1; one in place of the
// checkpoint or a journal file (the monitor's own, rebuilt from raw.log) is replaced.
import {
	lstatSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import {join} from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {startCli, stopOnTeardown} from '../helpers/cli.js';
import {escapeRegExp} from '../helpers/escape-regexp.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';

const targetText = 'not the monitor’s: must stay as it is\n';

/** A demo run of a second on `out`: its exit code and stderr. */
async function demoRun(
	t: ExecutionContext,
	out: string,
): Promise<{code: number | null; stderr: string}> {
	const running = stopOnTeardown(
		t,
		startCli(['--demo', '--headless', '--duration', '1', '--out', out]),
	);
	const code = await running.exited;
	return {code, stderr: running.stderr()};
}

function workspace(t: ExecutionContext): {out: string; outside: string} {
	const dir = temporaryDirectory(t, 'links');
	const out = join(dir, 'data');
	const outside = join(dir, 'outside');
	mkdirSync(out);
	mkdirSync(outside);
	return {out, outside};
}

for (const name of [
	'raw.log',
	'structured_metrics.csv',
	'parser_errors.log',
	'anomaly_report.json',
	'.serialwatch.lock',
]) {
	test(`${name} a link to a file outside the output dir: refused at start naming it, exit 1, the target untouched`, async (t) => {
		const {out, outside} = workspace(t);
		const target = join(outside, 'target');
		writeFileSync(target, targetText);
		symlinkSync(target, join(out, name));
		const {code, stderr} = await demoRun(t, out);
		t.is(code, 1, `${stderr}`);
		t.regex(
			stderr,
			new RegExp(
				String.raw`^serialwatch: refusing ${escapeRegExp(join(out, name))}: it is a symbolic link \(to ${escapeRegExp(target)}\), and serialwatch never writes through a link`,
			),
		);
		t.is(readFileSync(target, 'utf8'), targetText);
		t.true(lstatSync(join(out, name)).isSymbolicLink());
	});
}

for (const name of ['.serialwatch', '.serialwatch/journal']) {
	test(`${name} a link to a directory outside the output dir: refused at start naming it, exit 1, nothing written there`, async (t) => {
		const {out, outside} = workspace(t);
		mkdirSync(join(out, '.serialwatch', 'journal'), {recursive: true});
		rmSync(join(out, name), {recursive: true});
		symlinkSync(outside, join(out, name));
		const {code, stderr} = await demoRun(t, out);
		t.is(code, 1, `${stderr}`);
		t.regex(
			stderr,
			new RegExp(
				`refusing ${escapeRegExp(join(out, name))}: it is a symbolic link`,
			),
		);
		t.deepEqual(readdirSync(outside), []);
	});
}

test('the checkpoint and a journal file links to files outside: a full take-up that says why, the links replaced, their targets untouched', async (t) => {
	const {out, outside} = workspace(t);
	const first = await demoRun(t, out);
	t.is(first.code, 0, `${first.stderr}`);
	const state = join(out, '.serialwatch');
	const checkpoint = join(state, 'checkpoint.json');
	const journalFile = join(state, 'journal', 'HEARTBEAT_LOSS.jsonl');
	// The checkpoint's target is a valid checkpoint of this very run: followed, it would be used.
	const checkpointTarget = join(outside, 'checkpoint.json');
	writeFileSync(checkpointTarget, readFileSync(checkpoint));
	const checkpointText = readFileSync(checkpointTarget, 'utf8');
	rmSync(checkpoint);
	symlinkSync(checkpointTarget, checkpoint);
	const journalTarget = join(outside, 'journal');
	writeFileSync(journalTarget, targetText);
	rmSync(journalFile);
	symlinkSync(journalTarget, journalFile);

	const second = await demoRun(t, out);
	t.is(second.code, 0, `${second.stderr}`);
	t.regex(
		second.stderr,
		new RegExp(
			String.raw`in full: the checkpoint ${escapeRegExp(checkpoint)} is a symbolic link \(not followed; it is replaced\)`,
		),
	);
	t.is(readFileSync(checkpointTarget, 'utf8'), checkpointText);
	t.is(readFileSync(journalTarget, 'utf8'), targetText);
	t.true(lstatSync(checkpoint).isFile());
	t.true(lstatSync(journalFile).isFile());
});
