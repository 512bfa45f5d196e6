// A file replaced atomically and durably: a temporary file in the same directory, fsync'd,
// renamed over the old one (rename(2) is atomic), then the directory fsync'd so the rename
// itself survives a power loss. A reader, or a process killed at any instant, sees the old
// file or the new one, whole. A link at the path is replaced by the rename, its target
// never written; one at the temporary's name is refused.
import process from 'node:process';
import {closeSync, fsyncSync, openSync, renameSync, rmSync} from 'node:fs';
import {open} from 'node:fs/promises';
import {dirname} from 'node:path';
import {openNoFollow} from './no-follow.js';
import {writeFully} from './raw-log.js';

export function replaceFileDurably(path: string, data: Uint8Array): void {
	const temporary = `${path}.${process.pid}.tmp`;
	try {
		const fd = openNoFollow(temporary, 'w');
		try {
			writeFully(fd, data);
			fsyncSync(fd);
		} finally {
			closeSync(fd);
		}

		renameSync(temporary, path);
		syncDirectory(dirname(path));
	} catch (error) {
		rmSync(temporary, {force: true});
		throw error;
	}
}

/** As syncDirectory, in the thread pool: this thread goes on meanwhile. */
export async function syncDirectoryAsync(path: string): Promise<void> {
	const handle = await open(path, 'r');
	try {
		await handle.sync();
	} finally {
		await handle.close();
	}
}

export function syncDirectory(path: string): void {
	const fd = openSync(path, 'r');
	try {
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}
