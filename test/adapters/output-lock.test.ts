import {spawn} from 'node:child_process';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import process from 'node:process';
import test from 'ava';
import {
	lockFileName,
	lockOutputDir,
} from '../../source/adapters/output-lock.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {waitUntil} from '../helpers/wait-until.js';

test('one writer per output dir: a second is refused with the holder named; release frees it', (t) => {
	const dir = temporaryDirectory(t, 'lock');
	const release = lockOutputDir(dir);
	t.is(readFileSync(join(dir, lockFileName), 'utf8'), `${process.pid}\n`);
	t.throws(() => lockOutputDir(dir), {
		message: (message: string) =>
			message.startsWith(
				`another serialwatch (pid ${process.pid}) is writing there`,
			),
	});
	release();
	t.false(existsSync(join(dir, lockFileName)));
	lockOutputDir(dir)();
});

test('a lock left by a process that is gone is taken over', (t) => {
	const dir = temporaryDirectory(t, 'lock');
	// Above the kernel's pid_max (4194304 at most): no process can have it.
	writeFileSync(join(dir, lockFileName), '99999999\n');
	const release = lockOutputDir(dir);
	t.is(readFileSync(join(dir, lockFileName), 'utf8'), `${process.pid}\n`);
	release();
	writeFileSync(join(dir, lockFileName), 'garbage');
	t.notThrows(() => {
		lockOutputDir(dir)();
	});
});

const procState = (pid: number) => {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
		return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
	} catch {
		return undefined;
	}
};

// Linux's /proc tells a zombie from a live process; elsewhere the lock cannot.
const linuxTest = process.platform === 'linux' ? test : test.skip;

linuxTest(
	'a lock whose process has died but is not yet reaped (a zombie, as right after a kill -9) is taken over',
	async (t) => {
		// A node process starts `true` and then blocks in Atomics.wait: its event loop, which
		// reaps children, never runs again, so `true` stays a zombie while the parent lives. (A
		// shell that execs sleep was racy: under load it reaped the child before the exec.)
		const parent = spawn(
			process.execPath,
			[
				'-e',
				[
					"const {spawn} = require('node:child_process');",
					"const child = spawn('true');",
					String.raw`require('node:fs').writeSync(1, String(child.pid) + '\n');`,
					'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);',
				].join('\n'),
			],
			{stdio: ['ignore', 'pipe', 'ignore']},
		);
		t.teardown(() => {
			parent.kill('SIGKILL');
		});
		let out = '';
		parent.stdout.setEncoding('utf8').on('data', (text: string) => {
			out += text;
		});
		await waitUntil(() => out.includes('\n'), 'the parent printed the pid');
		const zombie = Number.parseInt(out, 10);
		await waitUntil(
			() => procState(zombie) === 'Z',
			`pid ${zombie} is a zombie`,
		);
		// kill(pid, 0) still finds it: only its state tells it is gone.
		t.notThrows(() => process.kill(zombie, 0));

		const dir = temporaryDirectory(t, 'lock');
		writeFileSync(join(dir, lockFileName), `${zombie}\n`);
		const release = lockOutputDir(dir);
		t.is(readFileSync(join(dir, lockFileName), 'utf8'), `${process.pid}\n`);
		release();

		// A live process (the sleeping parent) still holds it.
		writeFileSync(join(dir, lockFileName), `${parent.pid!}\n`);
		t.throws(() => lockOutputDir(dir), {
			message: new RegExp(
				String.raw`another serialwatch \(pid ${parent.pid!}\)`,
			),
		});
	},
);
