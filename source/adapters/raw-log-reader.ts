// Reads a raw.log back: `<ISO time>\t<bytes>` per line, streamed so a long run's log
// never has to fit in memory. Lines that are not of that form are reported, not fatal.
import {Buffer} from 'node:buffer';
import {closeSync, createReadStream, openSync, readSync} from 'node:fs';
import {maxLineBytesLimit} from '../core/config.js';
import {createFileLineSplitter} from '../core/file-line-splitter.js';
import {createIsoStampReader} from '../core/iso-stamp.js';

export type RawLogLine = {line: number; time: number; bytes: Uint8Array};
export type RawLogProblem = {line: number; reason: string};
/** Where a read starts: the end of a line, and the lines before it (a checkpoint's). */
export type RawLogStart = {
	bytes: number;
	lines: number;
	/**
	 * Where it stops instead of the file's end: the end of a line. A file appended to as it
	 * is read is read up to a length fixed before.
	 */
	endBytes?: number;
};

const timestampLength = '2026-01-01T00:00:00.000Z'.length;

const rawLinePattern = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\t/;

/** Why the file is not a raw.log (its first line is not `<ISO time>\t...`), or undefined if it is one. */
export function notARawLog(path: string): string | undefined {
	const fd = openSync(path, 'r');
	try {
		const head = Buffer.alloc(timestampLength + 1);
		const read = readSync(fd, head, 0, head.length, 0);
		return read === 0 || rawLinePattern.test(head.toString('latin1', 0, read))
			? undefined
			: `${path} is not a raw.log: its first line does not start with \`<ISO 8601 time>\\t\``;
	} finally {
		closeSync(fd);
	}
}

/**
 * The lines of a raw.log, numbered by physical line whatever today's serial.max_line_bytes
 * is: a line written by a run with a larger limit is read whole, for the parser to refuse
 * by its length. A line longer than any run writes is cut, its rest dropped: still one line.
 */
export async function* readRawLog(
	path: string,
	onProblem: (problem: RawLogProblem) => void,
): AsyncGenerator<RawLogLine> {
	for await (const lines of readRawLogRuns(path, onProblem)) {
		yield* lines;
	}
}

const fileStart = {bytes: 0, lines: 0};

/**
 * readRawLog's lines, as many at a time as one read of the file completes: a long raw.log
 * costs a step of an async generator per read, not per line. The lines' bytes are views of
 * the read, valid until the caller drops them.
 */
export async function* readRawLogRuns(
	path: string,
	onProblem: (problem: RawLogProblem) => void,
	from: RawLogStart = fileStart,
): AsyncGenerator<RawLogLine[]> {
	// Room for the timestamp and tab in front of the longest line any config lets a run write.
	const splitter = createFileLineSplitter(
		maxLineBytesLimit + timestampLength + 1,
	);
	const readStamp = createIsoStampReader();
	let line = from.lines;
	const decode = (lines: Uint8Array[]): RawLogLine[] => {
		const decoded: RawLogLine[] = [];
		for (const bytes of lines) {
			line++;
			const time =
				bytes.indexOf(0x09) === timestampLength ? readStamp(bytes) : Number.NaN;
			if (Number.isNaN(time)) {
				onProblem({line, reason: 'not `<ISO time>\\t<line>`'});
				continue;
			}

			decoded.push({line, time, bytes: bytes.subarray(timestampLength + 1)});
		}

		return decoded;
	};

	// The stream's 64 KiB reads: larger ones (256 KiB) kept each read's lines alive across
	// more collections, for a higher peak RSS and no gain in time.
	const {endBytes = Infinity} = from;
	if (endBytes <= from.bytes) {
		return;
	}

	// createReadStream's end is the last byte read, not the one after it.
	for await (const chunk of createReadStream(path, {
		start: from.bytes,
		...(Number.isFinite(endBytes) && {end: endBytes - 1}),
	})) {
		if (chunk instanceof Uint8Array) {
			yield decode(splitter.push(chunk));
		}
	}

	const rest = splitter.flush();
	if (rest) {
		yield decode([rest]);
	}
}
