// parser_errors.log: `<receive time>\t<reason>\t<the line, control and non-UTF-8 bytes escaped>`.
import {Buffer} from 'node:buffer';
import {closeSync, openSync} from 'node:fs';
import {escapeBytes} from '../core/protocol.js';
import {writeFully} from './raw-log.js';

export type ParserError = {time: number; bytes: Uint8Array; reason: string};

export type ParserErrorLog = {
	append(errors: readonly ParserError[]): void;
	close(): void;
};

/** `truncate` starts the file anew (replay rebuilds it); otherwise a run appends. */
export function openParserErrorLog(
	path: string,
	{truncate = false}: {truncate?: boolean} = {},
): ParserErrorLog {
	const fd = openSync(path, truncate ? 'w' : 'a');
	return {
		append(errors) {
			if (errors.length === 0) {
				return;
			}

			const text = errors
				.map(
					({time, bytes, reason}) =>
						`${new Date(time).toISOString()}\t${reason}\t${escapeBytes(bytes)}\n`,
				)
				.join('');
			writeFully(fd, Buffer.from(text));
		},
		close() {
			closeSync(fd);
		},
	};
}
