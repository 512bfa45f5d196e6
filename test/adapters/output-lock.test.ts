import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import process from 'node:process';
import test from 'ava';
import {
	lockFileName,
	lockOutputDir,
} from '../../source/adapters/output-lock.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';

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
