// One writer per output dir: two monitors appending to one raw.log would interleave their
// lines and break every line number in the reports. The lock is a file holding the pid;
// a lock whose process is gone (a crash, kill -9) is taken over.
import {readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import process from 'node:process';
import {errorCode} from '../core/error-message.js';

export const lockFileName = '.serialwatch.lock';

/** Takes the dir's lock; returns its release. Throws if a live process holds it. */
export function lockOutputDir(dir: string): () => void {
	const path = join(dir, lockFileName);
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			writeFileSync(path, `${process.pid}\n`, {flag: 'wx'});
			return () => {
				rmSync(path, {force: true});
			};
		} catch (error) {
			if (errorCode(error) !== 'EEXIST') {
				throw error;
			}
		}

		const holder = Number.parseInt(readFileSync(path, 'utf8'), 10);
		if (isAlive(holder)) {
			throw new Error(
				`another serialwatch (pid ${holder}) is writing there; stop it first, or remove ${path} if that process is not serialwatch`,
			);
		}

		rmSync(path, {force: true});
	}

	throw new Error(`cannot take the lock ${path}`);
}

function isAlive(pid: number): boolean {
	if (!Number.isInteger(pid) || pid <= 0) {
		return false;
	}

	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: it exists, owned by another user.
		return errorCode(error) === 'EPERM';
	}
}
