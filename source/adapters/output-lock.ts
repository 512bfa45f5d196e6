// One writer per output dir: two monitors appending to one raw.log would interleave their
// lines and break every line number in the reports. The lock is a file holding the pid;
// a lock whose process is gone (a crash, kill -9) is taken over, as is one whose process
// has died and not yet been reaped by its parent (a zombie writes nothing: a restart right
// after a kill -9 is not refused for it). A link in its place is neither written nor read
// through.
import {Buffer} from 'node:buffer';
import {closeSync, readFileSync, readSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import process from 'node:process';
import {errorCode} from '../core/error-message.js';
import {openNoFollow, refuseLink} from './no-follow.js';
import {writeFully} from './raw-log.js';

export const lockFileName = '.serialwatch.lock';

/** Takes the dir's lock; returns its release. Throws if a live process holds it. */
export function lockOutputDir(dir: string): () => void {
	const path = join(dir, lockFileName);
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			// O_EXCL: a link there, even one to nowhere, is EEXIST, never followed.
			const fd = openNoFollow(path, 'wx');
			try {
				writeFully(fd, Buffer.from(`${process.pid}\n`));
			} finally {
				closeSync(fd);
			}

			return () => {
				rmSync(path, {force: true});
			};
		} catch (error) {
			if (errorCode(error) !== 'EEXIST') {
				throw error;
			}
		}

		refuseLink(path);
		const holder = readHolder(path);
		if (isAlive(holder)) {
			throw new Error(
				`another serialwatch (pid ${holder}) is writing there; stop it first, or remove ${path} if that process is not serialwatch`,
			);
		}

		rmSync(path, {force: true});
	}

	throw new Error(`cannot take the lock ${path}`);
}

/** The pid the lock holds: its first bytes only, whatever else was put there. */
function readHolder(path: string): number {
	let fd: number;
	try {
		fd = openNoFollow(path, 'r');
	} catch (error) {
		// Released meanwhile: the next attempt takes it.
		if (errorCode(error) === 'ENOENT') {
			return 0;
		}

		throw error;
	}

	try {
		const bytes = Buffer.alloc(32);
		const read = readSync(fd, bytes, 0, bytes.length, 0);
		return Number.parseInt(bytes.toString('latin1', 0, read), 10);
	} finally {
		closeSync(fd);
	}
}

function isAlive(pid: number): boolean {
	if (!Number.isInteger(pid) || pid <= 0) {
		return false;
	}

	try {
		process.kill(pid, 0);
	} catch (error) {
		// EPERM: it exists, owned by another user.
		return errorCode(error) === 'EPERM' && !hasDied(pid);
	}

	return !hasDied(pid);
}

/**
 * The process has exited and waits only to be reaped (Linux's /proc state Z or X), which
 * kill(pid, 0) does not tell from a live one. False where /proc cannot say.
 */
function hasDied(pid: number): boolean {
	let stat: string;
	try {
		stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
	} catch {
		return false;
	}

	// `pid (comm) state ...`: comm may hold spaces and parentheses, the state follows the last ')'.
	const state = stat.slice(
		stat.lastIndexOf(')') + 2,
		stat.lastIndexOf(')') + 3,
	);
	return state === 'Z' || state === 'X';
}
