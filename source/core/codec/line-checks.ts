// What every format checks before it reads a line, in this order, with the same wording:
// its length against serial.max_line_bytes, emptiness, UTF-16 text, UTF-8 validity.
import {isUtf16Text, utf16Reason} from '../utf16-text.js';

// ignoreBOM keeps a byte order mark as a character: by default TextDecoder drops a leading
// one, so `<BOM>T:85,...` would parse as a reading and an escaped BOM would vanish.
const decoder = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true});

/** Why a line cannot be a reading whatever its format (its length, emptiness), else undefined. */
export function lineSizeProblem(
	bytes: Uint8Array,
	maxLineBytes: number,
): string | undefined {
	// Only a raw.log written under a larger limit holds a longer line: the live splitter cuts
	// at the limit.
	if (bytes.length > maxLineBytes) {
		return `line is longer than serial.max_line_bytes (${maxLineBytes} bytes)`;
	}

	if (bytes.length === maxLineBytes) {
		return `line reached serial.max_line_bytes (${maxLineBytes} bytes) without an end; cut there`;
	}

	if (bytes.length === 0) {
		return 'empty line';
	}

	return undefined;
}

/** The line's text, or why it has none: `{reason}`. */
export function lineText(bytes: Uint8Array): string | {reason: string} {
	if (isUtf16Text(bytes)) {
		return {reason: utf16Reason};
	}

	try {
		return decoder.decode(bytes);
	} catch {
		return {reason: 'line is not valid UTF-8'};
	}
}
