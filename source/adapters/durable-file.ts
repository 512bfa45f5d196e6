// A file replaced atomically and durably: a temporary file in the same directory, fsync'd,
// renamed over the old one (rename(2) is atomic), then the directory fsync'd so the rename
// itself survives a power loss. A reader, or a process killed at any instant, sees the old
// file or the new one, whole. A link at the path is replaced by the rename, its target
// never written; one at the temporary's name is refused.
import process from 'node:process';
import {
	closeSync,
	fsyncSync,
	linkSync,
	openSync,
	renameSync,
	rmSync,
} from 'node:fs';
import {open} from 'node:fs/promises';
import {dirname} from 'node:path';
import {errorCode} from '../core/error-message.js';
import {openNoFollow} from './no-follow.js';
import {writeFully} from './raw-log.js';

export function replaceFileDurably(path: string, data: Uint8Array): void {
	const temporary = `${path}.${process.pid}.tmp`;
	try {
		writeTemporary(temporary, data);
		renameSync(temporary, path);
		syncDirectory(dirname(path));
	} catch (error) {
		rmSync(temporary, {force: true});
		throw error;
	}
}

/**
 * A new file, whole or not at all: written to a temporary in the same directory and fsync'd,
 * then linked at `path` (link(2) never replaces a file: EEXIST if one is there, even one
 * made since a check), then the directory fsync'd. A full disk, a file size limit or a kill
 * at any instant leaves no file at `path`, never a part of one.
 */
export function createFileDurably(path: string, data: Uint8Array): void {
	const temporary = `${path}.${process.pid}.tmp`;
	try {
		writeTemporary(temporary, data);
		try {
			linkSync(temporary, path);
		} catch (error) {
			if (!noHardLinks.has(errorCode(error) ?? '')) {
				throw error;
			}

			// A file system without hard links (FAT, some network ones): created exclusively and
			// written in place; a write that fails removes it (it is ours: 'wx' made it).
			createInPlace(path, data);
		}

		syncDirectory(dirname(path));
	} finally {
		rmSync(temporary, {force: true});
	}
}

const noHardLinks = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV']);

function writeTemporary(temporary: string, data: Uint8Array): void {
	const fd = openNoFollow(temporary, 'w');
	try {
		writeFully(fd, data);
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}

function createInPlace(path: string, data: Uint8Array): void {
	const fd = openSync(path, 'wx');
	try {
		writeFully(fd, data);
		fsyncSync(fd);
	} catch (error) {
		closeSync(fd);
		rmSync(path, {force: true});
		throw error;
	}

	closeSync(fd);
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
