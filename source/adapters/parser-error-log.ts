// parser_errors.log: `<receive time>\t<reason>\t<the line, control and non-UTF-8 bytes
// escaped>\t<its raw.log line>`. The line number came last and later: a reader that takes
// the first three fields still works, and the escaped line holds no tab.
import {Buffer} from 'node:buffer';
import {closeSync, openSync} from 'node:fs';
import {escapeBytes} from '../core/protocol.js';
import {
	lineNumber,
	repairDerivedTail,
	type DerivedTail,
} from './derived-tail.js';
import {writeFully} from './raw-log.js';
import {writingTo} from './write-error.js';

export type ParserError = {
	time: number;
	/** The raw.log line number. */
	line: number;
	bytes: Uint8Array;
	reason: string;
};

export type ParserErrorLog = {
	/** How the file ended when opened; a run appends the errors after `lastLine`. */
	readonly tail: DerivedTail;
	append(errors: readonly ParserError[]): void;
	close(): void;
};

/** `truncate` starts the file anew (replay rebuilds it); otherwise a run appends. */
export function openParserErrorLog(
	path: string,
	{truncate = false}: {truncate?: boolean} = {},
): ParserErrorLog {
	const fd = openSync(path, truncate ? 'w' : 'a+');
	const tail = truncate
		? {lastLine: 0, cutBytes: 0}
		: repairDerivedTail(fd, lastLineOfError);
	return {
		tail,
		append(errors) {
			if (errors.length === 0) {
				return;
			}

			const text = errors
				.map(
					({time, line, bytes, reason}) =>
						`${new Date(time).toISOString()}\t${reason}\t${escapeBytes(bytes)}\t${line}\n`,
				)
				.join('');
			writingTo(path, () => {
				writeFully(fd, Buffer.from(text));
			});
		},
		close() {
			closeSync(fd);
		},
	};
}

/** The raw.log line an error record ends with; undefined for a record of the older, three-field form. */
function lastLineOfError(record: string): number | undefined {
	const fields = record.split('\t');
	return fields.length === 4 ? lineNumber(fields[3]) : undefined;
}
