// A raw.log read back a large read at a time, its lines given by their place in the read:
// numbers in typed arrays, not a view and an object per line, which were a fair share of a
// replay's time and garbage. The lines, their numbers, times and problems are exactly those
// readRawLogRuns gives (test/adapters/raw-log-blocks.test.ts holds it to that).
import {Buffer} from 'node:buffer';
import {open} from 'node:fs/promises';
import {maxLineBytesLimit} from '../core/config.js';
import {createIsoStampReader} from '../core/iso-stamp.js';
import type {RawLogProblem, RawLogStart} from './raw-log-reader.js';

/**
 * The lines one read completed. Line i is bytes[starts[i]..ends[i]) (what follows its stamp
 * and tab), received at times[i], raw.log line lines[i]. Valid until the next block is asked
 * for: the reader reuses all of it.
 */
export type RawLogBlock = {
	readonly bytes: Uint8Array;
	count: number;
	readonly starts: Int32Array;
	readonly ends: Int32Array;
	readonly times: Float64Array;
	readonly lines: Float64Array;
};

const lf = 0x0a;
const tab = 0x09;
const timestampLength = '2026-01-01T00:00:00.000Z'.length;
// As readRawLogRuns: room for the stamp and tab in front of the longest line any config
// lets a run write. A longer line is cut there and the rest dropped: still one line.
const maxLineBytes = maxLineBytesLimit + timestampLength + 1;
const defaultReadBytes = 1024 * 1024;
const fileStart = {bytes: 0, lines: 0};

export async function* readRawLogBlocks(
	path: string,
	onProblem: (problem: RawLogProblem) => void,
	from: RawLogStart = fileStart,
	readBytes = defaultReadBytes,
): AsyncGenerator<RawLogBlock> {
	// The start of a line that the previous read did not complete goes first, then the read,
	// then one byte for a newline that stops every search at the end of what was read.
	const bytes = Buffer.allocUnsafe(maxLineBytes + readBytes + 1);
	// A line needs its stamp, tab and newline: 26 bytes.
	const most =
		Math.ceil((maxLineBytes + readBytes) / (timestampLength + 2)) + 1;
	const block: RawLogBlock = {
		bytes,
		count: 0,
		starts: new Int32Array(most),
		ends: new Int32Array(most),
		times: new Float64Array(most),
		lines: new Float64Array(most),
	};
	const readStamp = createIsoStampReader();
	let line = from.lines;

	const add = (start: number, end: number) => {
		line++;
		const time = stampEnds(bytes, start, end)
			? readStamp(bytes, start)
			: Number.NaN;
		if (Number.isNaN(time)) {
			onProblem({line, reason: 'not `<ISO time>\\t<line>`'});
			return;
		}

		const index = block.count++;
		block.starts[index] = start + timestampLength + 1;
		block.ends[index] = end;
		block.times[index] = time;
		block.lines[index] = line;
	};

	// bytes[0..held) starts a line the reads so far have not ended.
	let held = 0;
	// That line is longer than maxLineBytes: it is held cut, its rest is skipped.
	let cut = false;
	const file = await open(path, 'r');
	try {
		let position = from.bytes;
		const {endBytes = Infinity} = from;
		for (;;) {
			const want = Math.min(readBytes, endBytes - position);
			if (want <= 0) {
				break;
			}

			// eslint-disable-next-line no-await-in-loop -- one read after the other, in order
			const {bytesRead} = await file.read(bytes, held, want, position);
			if (bytesRead === 0) {
				break;
			}

			position += bytesRead;
			const end = held + bytesRead;
			bytes[end] = lf;
			block.count = 0;
			let lineStart = 0;
			let newline = bytes.indexOf(lf, held);
			if (cut) {
				if (newline === end) {
					// All of the read is the cut line's rest.
					continue;
				}

				add(0, held);
				cut = false;
				lineStart = newline + 1;
				newline = bytes.indexOf(lf, lineStart);
			}

			while (newline < end) {
				add(lineStart, Math.min(newline, lineStart + maxLineBytes));
				lineStart = newline + 1;
				newline = bytes.indexOf(lf, lineStart);
			}

			yield block;
			// The line the read did not end goes to the front, for the next read to go on.
			held = Math.min(end - lineStart, maxLineBytes);
			cut = end - lineStart >= maxLineBytes;
			bytes.copyWithin(0, lineStart, lineStart + held);
		}
	} finally {
		await file.close();
	}

	// The last line, if the file does not end with a newline.
	if (held > 0) {
		block.count = 0;
		add(0, held);
		yield block;
	}
}

/** Whether the line bytes[start..end) has its first tab right after a stamp's length. */
function stampEnds(bytes: Uint8Array, start: number, end: number): boolean {
	if (
		end - start <= timestampLength ||
		bytes[start + timestampLength] !== tab
	) {
		return false;
	}

	for (let index = start; index < start + timestampLength; index++) {
		if (bytes[index] === tab) {
			return false;
		}
	}

	return true;
}
