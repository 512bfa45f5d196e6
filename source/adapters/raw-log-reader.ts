// Reads a raw.log back: `<ISO time>\t<bytes>` per line, streamed so a long run's log
// never has to fit in memory. Lines that are not of that form are reported, not fatal.
import {Buffer} from 'node:buffer';
import {closeSync, createReadStream, openSync, readSync} from 'node:fs';
import {maxLineBytesLimit} from '../core/config.js';
import {createLineSplitter} from '../core/line-splitter.js';

export type RawLogLine = {line: number; time: number; bytes: Uint8Array};
export type RawLogProblem = {line: number; reason: string};

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
	// Room for the timestamp and tab in front of the longest line any config lets a run write.
	const splitter = createLineSplitter(maxLineBytesLimit + timestampLength + 1, {
		acceptCrLf: false,
		longLines: 'truncate',
	});
	let line = 0;
	const decode = function* (lines: Uint8Array[]): Generator<RawLogLine> {
		for (const bytes of lines) {
			line++;
			const tab = bytes.indexOf(0x09);
			const time =
				tab === timestampLength
					? Date.parse(Buffer.from(bytes.subarray(0, tab)).toString('latin1'))
					: Number.NaN;
			if (Number.isNaN(time)) {
				onProblem({line, reason: 'not `<ISO time>\\t<line>`'});
				continue;
			}

			yield {line, time, bytes: bytes.subarray(tab + 1)};
		}
	};

	for await (const chunk of createReadStream(path)) {
		if (chunk instanceof Uint8Array) {
			yield* decode(splitter.push(chunk));
		}
	}

	const rest = splitter.flush();
	if (rest) {
		yield* decode([rest]);
	}
}
