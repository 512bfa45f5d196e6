// The end of a file derived from raw.log (the CSV, the error log), checked when a run opens
// it to append: a write cut short (disk full, crash) leaves a torn last record, which is
// cut off here so that the next record starts on a line of its own. Only the tail is read,
// however long the file, and the last whole record says which raw.log line the file
// reaches, so that the lines after it can be derived again from raw.log.
import {Buffer} from 'node:buffer';
import {fstatSync, ftruncateSync, readSync} from 'node:fs';

export type DerivedTail = {
	/**
	 * The raw.log line of the last whole record: 0 when the file holds no record, undefined
	 * when that record does not say (a file written before records carried their line).
	 */
	lastLine: number | undefined;
	/** Bytes of a torn last record that were cut off (0: the file ended whole). */
	cutBytes: number;
};

const firstWindow = 4096;

/**
 * Cuts a torn last record (bytes after the last `\n`) from the file open on `fd` (for
 * reading and writing), and reads the last whole record's raw.log line with `lineOf`
 * (given the record without its terminator; undefined if it names none).
 */
export function repairDerivedTail(
	fd: number,
	lineOf: (record: string) => number | undefined,
): DerivedTail {
	const {size} = fstatSync(fd);
	let window = firstWindow;
	for (;;) {
		const start = Math.max(0, size - window);
		const tail = Buffer.alloc(size - start);
		readFully(fd, tail, start);
		const end = tail.lastIndexOf(0x0a);
		// The last record may begin before the window: widen it, unless it is the whole file.
		const previous = end <= 0 ? -1 : tail.lastIndexOf(0x0a, end - 1);
		if (start > 0 && previous === -1) {
			window *= 2;
			continue;
		}

		const whole = end === -1 ? 0 : start + end + 1;
		if (whole < size) {
			ftruncateSync(fd, whole);
		}

		const record =
			end === -1
				? undefined
				: tail.toString('utf8', previous + 1, end).replace(/\r$/, '');
		return {
			lastLine: record === undefined ? 0 : lineOf(record),
			cutBytes: size - whole,
		};
	}
}

function readFully(fd: number, buffer: Uint8Array, position: number): void {
	let offset = 0;
	while (offset < buffer.length) {
		const read = readSync(
			fd,
			buffer,
			offset,
			buffer.length - offset,
			position + offset,
		);
		if (read === 0) {
			break;
		}

		offset += read;
	}
}

/** A whole number written as digits only, or undefined. */
export function lineNumber(text: string | undefined): number | undefined {
	return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}
