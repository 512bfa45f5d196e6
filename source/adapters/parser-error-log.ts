// parser_errors.log: `<receive time>\t<reason>\t<the line, control and non-UTF-8 bytes
// escaped>\t<its raw.log line>`. The line number came last and later: a reader that takes
// the first three fields still works, and the escaped line holds no tab.
import {escapeBytes} from '../core/protocol.js';
import {createIsoTime} from '../core/iso-time.js';
import {openNoFollow} from './no-follow.js';
import {createBufferedFile} from './buffered-file.js';
import {
	lineNumber,
	repairDerivedTail,
	type DerivedTail,
} from './derived-tail.js';
import type {DerivedFileOptions} from './derived-file-options.js';

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
	/** Hands the errors appended so far to the OS (a batched file holds them until it fills). */
	flush(): void;
	close(): void;
};

export function openParserErrorLog(
	path: string,
	{truncate = false, batched = false}: DerivedFileOptions = {},
): ParserErrorLog {
	const fd = openNoFollow(path, truncate ? 'w' : 'a+');
	const tail = truncate
		? {lastLine: 0, cutBytes: 0}
		: repairDerivedTail(fd, lastLineOfError);
	const file = createBufferedFile(fd, path);
	const isoTime = createIsoTime();
	return {
		tail,
		append(errors) {
			if (errors.length === 0) {
				return;
			}

			let text = '';
			for (const {time, line, bytes, reason} of errors) {
				text += `${isoTime(time)}\t${reason}\t${escapeBytes(bytes)}\t${line}\n`;
			}

			file.write(text);
			if (!batched) {
				file.flush();
			}
		},
		flush: file.flush,
		close: file.close,
	};
}

/** The raw.log line an error record ends with; undefined for a record of the older, three-field form. */
function lastLineOfError(record: string): number | undefined {
	const fields = record.split('\t');
	return fields.length === 4 ? lineNumber(fields[3]) : undefined;
}
