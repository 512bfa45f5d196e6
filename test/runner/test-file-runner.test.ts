// The hard bound of `npm test`: a file that cannot end is killed and named, a failing
// assertion ends its file at once, and a file that leaves a process running fails.
import {spawn} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import process from 'node:process';
import test from 'ava';
import {isRunning} from '../helpers/processes.js';
import {waitUntil} from '../helpers/wait-until.js';
import {
	describeFailure,
	markerVariable,
	processGroupMembers,
	runTestFiles,
	type FileOutcome,
} from './test-file-runner.js';

const ava = join(
	dirname(createRequire(import.meta.url).resolve('ava')),
	'cli.mjs',
);
const fixture = (name: string) =>
	join('test', 'fixtures', 'runner', `${name}.ts`);
// Long enough for AVA to start and run a one-line test on a busy machine.
const fileTimeoutMs = 60_000;

async function run(names: string[]): Promise<FileOutcome[]> {
	return runTestFiles({
		files: names.map((name) => fixture(name)),
		commandFor: (file) => [process.execPath, ava, file],
		jobs: 2,
		fileTimeoutMs,
		killGraceMs: 1000,
		env: {...process.env, AVA_FORCE_CI: 'not-ci'},
	});
}

test('a file whose worker cannot exit is killed at its bound and reported by name; the others still run', async (t) => {
	const [stuck, passing] = await run(['stuck', 'passing']);
	t.is(stuck!.status, 'stuck', `${stuck!.output}`);
	t.is(stuck!.code, null);
	t.true(stuck!.durationMs >= fileTimeoutMs);
	t.regex(
		describeFailure(stuck!, fileTimeoutMs),
		/stuck\.ts: still running after 60 s, killed/,
	);
	t.is(passing!.status, 'passed', `${passing!.output}`);
});

test('a failing assertion in a test that stops what it started ends its file well before the bound', async (t) => {
	const [outcome] = await run(['failing-with-teardown']);
	t.is(outcome!.status, 'failed', `${outcome!.output}`);
	t.regex(outcome!.output, /deliberately wrong/);
	t.true(outcome!.durationMs < fileTimeoutMs, `${outcome!.durationMs} ms`);
	t.deepEqual(outcome!.leftRunning, []);
});

test('a process a passing file leaves running fails the file, is named, and is killed', async (t) => {
	const started = Date.now();
	const [outcome] = await run(['leaves-a-process']);
	t.is(outcome!.status, 'left-running', `${outcome!.output}`);
	t.is(outcome!.leftRunning.length, 1);
	t.regex(outcome!.leftRunning[0]!, /^\d+ sleep 600$/);
	const pid = Number(outcome!.leftRunning[0]!.split(' ')[0]);
	t.false(isRunning(pid), 'killed');
	t.true(Date.now() - started < fileTimeoutMs);
});

test('a process that left the group (a daemon, a detached child) is still found by the marker its environment inherited, named and killed', async (t) => {
	const [outcome] = await run(['leaves-a-detached-process']);
	t.is(outcome!.status, 'left-running', `${outcome!.output}`);
	t.is(outcome!.leftRunning.length, 1);
	t.regex(outcome!.leftRunning[0]!, /^\d+ sleep 601$/);
	const pid = Number(outcome!.leftRunning[0]!.split(' ')[0]);
	t.false(isRunning(pid), 'killed');
});

test('processGroupMembers lists the live processes of a group', (t) => {
	// Detached: a group of its own, whose id is its pid.
	const child = spawn('sleep', ['600'], {detached: true, stdio: 'ignore'});
	t.teardown(() => {
		child.kill('SIGKILL');
	});
	t.deepEqual(processGroupMembers(child.pid!), [`${child.pid} sleep 600`]);
	t.deepEqual(processGroupMembers(2 ** 30), []);
});

test('Ctrl-C to npm test ends the test files that run, and what they started, exit 130', async (t) => {
	const runner = spawn(
		process.execPath,
		['--import=tsx', join('test', 'run-tests.ts'), fixture('stuck')],
		{stdio: 'ignore'},
	);
	const exited = new Promise<number | null>((resolve) => {
		runner.once('exit', (code) => {
			resolve(code);
		});
	});
	t.teardown(() => {
		runner.kill('SIGKILL');
	});
	// The processes of this runner's files: their marker starts with the runner's pid (other
	// tests here run the same fixture at the same time).
	const stuckFile = () =>
		readdirSync('/proc')
			.filter((name) => /^\d+$/.test(name))
			.filter((pid) => {
				try {
					return readFileSync(`/proc/${pid}/environ`, 'latin1').includes(
						`${markerVariable}=${runner.pid}-`,
					);
				} catch {
					return false;
				}
			})
			.filter((pid) => isRunning(Number(pid)));
	await waitUntil(() => stuckFile().length > 0, 'the stuck file runs');
	runner.kill('SIGINT');
	t.is(await exited, 130);
	await waitUntil(() => stuckFile().length === 0, 'the stuck file is ended');
	t.deepEqual(stuckFile(), []);
});
