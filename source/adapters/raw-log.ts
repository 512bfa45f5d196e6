// raw.log, the immutable audit trail: `<ISO time>\t<the line's bytes as received>\n`.
// Opened for append only and written synchronously, one write per chunk read from the
// port, so `tail -f` follows the device and a crash of the process loses nothing the OS
// was handed. It is fsync'd at most once a second while lines come, and at close, so a
// power loss costs at most about the last second. Before each write it checks that the
// path still leads to the file it writes, as long as it has written: a rotation under the
// run (renamed, deleted, truncated in place) ends it, since lines written on would go to a
// file nobody will read, or under line numbers that the file no longer has.
import {Buffer} from 'node:buffer';
import {
	closeSync,
	fstatSync,
	fsyncSync,
	readSync,
	statSync,
	writeSync,
} from 'node:fs';
import {errorCode} from '../core/error-message.js';
import {openNoFollow} from './no-follow.js';
import {OutputError} from './output-error.js';
import {writingTo} from './write-error.js';

export type RawLog = {
	/** Lines the file held when it was opened (earlier runs), and their bytes. */
	readonly linesAtOpen: number;
	readonly bytesAtOpen: number;
	/** Lines and bytes in the file now: every line appended is in them. */
	readonly lines: number;
	readonly bytes: number;
	/** Appends lines received together; returns the raw.log line number of the first. */
	append(time: number, lines: readonly Uint8Array[]): number;
	close(): void;
};

// How often lines are forced to the disk, at most: an fsync per chunk would cost more than
// the rest of the pipeline at a high line rate.
const syncIntervalMs = 1000;
const tab = Buffer.from('\t');
const fileStart = {bytes: 0, lines: 0};
const newline = Buffer.from('\n');

/**
 * Opens raw.log to append. `known`: a prefix of the file already counted (a checkpoint's),
 * so that only the lines after it are counted, not the whole history.
 */
export function openRawLog(
	path: string,
	known: {bytes: number; lines: number} = fileStart,
): RawLog {
	const fd = openNoFollow(path, 'a+');
	let linesInFile = countLines(fd, known);
	let bytesInFile = fstatSync(fd).size;
	const {dev, ino} = fstatSync(fd);
	const linesAtOpen = linesInFile;
	const bytesAtOpen = bytesInFile;
	let closed = false;
	let syncedAt = performance.now();

	return {
		linesAtOpen,
		bytesAtOpen,
		get lines() {
			return linesInFile;
		},
		get bytes() {
			return bytesInFile;
		},
		append(time, lines) {
			const first = linesInFile + 1;
			if (lines.length === 0) {
				return first;
			}

			const stamp = Buffer.from(new Date(time).toISOString());
			const parts: Uint8Array[] = [];
			for (const line of lines) {
				parts.push(stamp, tab, line, newline);
			}

			const data = Buffer.concat(parts);
			checkStillThere(path, {dev, ino, bytes: bytesInFile}, lines.length);
			writingTo(path, () => {
				writeFully(fd, data);
				if (performance.now() - syncedAt >= syncIntervalMs) {
					fsyncSync(fd);
					syncedAt = performance.now();
				}
			});
			linesInFile += lines.length;
			bytesInFile += data.length;
			return first;
		},
		close() {
			if (!closed) {
				closed = true;
				try {
					fsyncSync(fd);
				} catch {
					// A write that failed has ended the run and said so already; the close must
					// still happen, and the report still be written.
				}

				closeSync(fd);
			}
		},
	};
}

/**
 * A stat of the path before every write: about 5 µs, a third more for a one-line chunk
 * (15 µs) but far less than a serial port's fastest chunk rate needs. Checked less often,
 * a copytruncate followed by more bytes than the old file held would go unseen, and lines
 * would be numbered as the file no longer is.
 */
function checkStillThere(
	path: string,
	file: {dev: number; ino: number; bytes: number},
	pending: number,
): void {
	let what: string | undefined;
	try {
		const stats = statSync(path);
		if (stats.dev !== file.dev || stats.ino !== file.ino) {
			what = 'renamed or replaced it';
		} else if (stats.size < file.bytes) {
			what = `cut it to ${stats.size} of its ${file.bytes} bytes (copytruncate?)`;
		}
	} catch (error) {
		what =
			errorCode(error) === 'ENOENT'
				? 'renamed or deleted it'
				: `made it unreadable (${errorCode(error) ?? 'error'})`;
	}

	if (what) {
		throw new OutputError(
			`cannot go on writing ${path}: another program ${what} while this run wrote it, a log rotation perhaps; the ${pending} line${pending === 1 ? '' : 's'} just received ${pending === 1 ? 'is' : 'are'} not logged. raw.log, the CSV, the error log and the report are one history, numbered by raw.log's lines: rotate them with the monitor stopped (README: Rotating the files)`,
		);
	}
}

/**
 * Lines already in the file, so that line numbers stay true across runs. A last line
 * without its newline (a crash mid-write) is ended first, so it stays a line of its own.
 */
function countLines(fd: number, from: {bytes: number; lines: number}): number {
	const {size} = fstatSync(fd);
	const buffer = Buffer.alloc(65_536);
	let count = from.lines;
	let position = from.bytes;
	let last = 0x0a;
	while (position < size) {
		const read = readSync(fd, buffer, 0, buffer.length, position);
		if (read === 0) {
			break;
		}

		// indexOf is memchr: a byte loop in JavaScript took seconds for a 1 GB raw.log, with
		// signals unheard meanwhile.
		for (
			let index = buffer.indexOf(0x0a, 0);
			index !== -1 && index < read;
			index = buffer.indexOf(0x0a, index + 1)
		) {
			count++;
		}

		last = buffer[read - 1]!;
		position += read;
	}

	if (last !== 0x0a) {
		writeFully(fd, newline);
		count++;
	}

	return count;
}

export function writeFully(fd: number, data: Uint8Array): void {
	let offset = 0;
	while (offset < data.length) {
		offset += writeSync(fd, data, offset);
	}
}
