// A derived output file written through one large buffer: a write to the OS per flush
// instead of one per batch of lines (a replay feeds nearly every line as its own batch).
// The buffer only ever holds whole records, so a write the disk cuts short tears at most
// the last record, which the next run's repair cuts off (derived-tail.ts).
import {Buffer} from 'node:buffer';
import {closeSync} from 'node:fs';
import {writeFully} from './raw-log.js';
import {writingTo} from './write-error.js';

export type BufferedFile = {
	/** Where reserve() gives room; `capacity` bytes. */
	readonly buffer: Uint8Array;
	readonly capacity: number;
	/** Adds whole records; they reach the OS when the buffer fills, at flush() or at close(). */
	write(text: string): void;
	/**
	 * Room for up to `bytes` bytes (at most `capacity`) of whole records, after all written so
	 * far: the offset in `buffer` to write them at; commit() then takes them.
	 */
	reserve(bytes: number): number;
	/** Takes what was written in `buffer` from reserve()'s offset up to `end`. */
	commit(end: number): void;
	/** Hands what the buffer holds to the OS; throws an OutputError naming the file if it cannot. */
	flush(): void;
	/** Flushes and closes; the file is closed even when the flush fails. */
	close(): void;
};

export const defaultBufferBytes = 1024 * 1024;

// A UTF-16 code unit is at most 3 bytes of UTF-8.
const maxBytesPerUnit = 3;
const maxPendingUnits = 8192;

export function createBufferedFile(
	fd: number,
	path: string,
	{bufferBytes = defaultBufferBytes}: {bufferBytes?: number} = {},
): BufferedFile {
	const buffer = Buffer.allocUnsafe(bufferBytes);
	let used = 0;
	// Text not yet encoded: a replay appends a record at a time, and one encode of many
	// records costs far less than one each.
	let pending = '';
	// A quarter of the buffer at most, however the text encodes, and little enough that the
	// records' strings do not live long enough to be promoted to the old generation.
	const pendingUnits = Math.min(
		Math.floor(bufferBytes / maxBytesPerUnit / 4),
		maxPendingUnits,
	);
	// After a failed write nothing more is written: what follows would not follow on.
	let failure: Error | undefined;

	const writeOut = (data: Uint8Array) => {
		try {
			writingTo(path, () => {
				writeFully(fd, data);
			});
		} catch (error) {
			failure = error instanceof Error ? error : new Error(String(error));
			throw failure;
		}
	};

	const writeBuffer = () => {
		if (used > 0) {
			const data = buffer.subarray(0, used);
			used = 0;
			writeOut(data);
		}
	};

	const encodePending = () => {
		const text = pending;
		pending = '';
		const most = text.length * maxBytesPerUnit;
		if (used + most > buffer.length) {
			writeBuffer();
		}

		if (most > buffer.length) {
			writeOut(Buffer.from(text));
			return;
		}

		used += buffer.write(text, used);
	};

	const flush = () => {
		if (failure) {
			throw failure;
		}

		encodePending();
		writeBuffer();
	};

	return {
		write(text) {
			if (failure) {
				throw failure;
			}

			pending += text;
			if (pending.length >= pendingUnits) {
				encodePending();
			}
		},
		reserve(bytes) {
			if (failure) {
				throw failure;
			}

			if (pending.length > 0) {
				encodePending();
			}

			if (used + bytes > buffer.length) {
				writeBuffer();
			}

			return used;
		},
		commit(end) {
			used = end;
		},
		buffer,
		capacity: buffer.length,
		flush,
		close() {
			try {
				if (!failure) {
					flush();
				}
			} finally {
				closeSync(fd);
			}
		},
	};
}
