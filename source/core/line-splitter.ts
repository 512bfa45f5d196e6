// Splits a byte stream into lines with bounded memory, unlike serialport's ReadlineParser.
// Invariant: at most maxLineBytes bytes are ever held. When a line reaches that size
// without a terminator it is emitted as it stands (the parser then rejects it for its
// length) and the bytes after it start a new line, so nothing received is dropped; or, for
// a file read back, the rest of it is dropped, so that line numbers stay physical lines.

export type SplitLine = Uint8Array;

export type LineSplitter = {
	/** Feed a chunk; returns the lines it completed, terminators removed. */
	push(chunk: Uint8Array): SplitLine[];
	/** Whatever is held without a terminator (at end of input). */
	flush(): SplitLine | undefined;
};

const lf = 0x0a;
const cr = 0x0d;

export function createLineSplitter(
	maxLineBytes: number,
	{
		// Off for reading raw.log back, whose lines keep a device's stray CR as data.
		acceptCrLf = true,
		// 'split': a long line's rest starts a new line (a device's stream). 'truncate': the
		// rest is dropped up to the terminator, so a line stays one line however long (a
		// file whose lines are numbered).
		longLines = 'split',
	}: {acceptCrLf?: boolean; longLines?: 'split' | 'truncate'} = {},
): LineSplitter {
	const held = new Uint8Array(maxLineBytes);
	let length = 0;
	let dropping = false;

	const take = (): Uint8Array => {
		const line = held.slice(0, length);
		length = 0;
		return line;
	};

	return {
		push(chunk) {
			const lines: SplitLine[] = [];
			let start = 0;
			while (start < chunk.length) {
				const newline = chunk.indexOf(lf, start);
				const end = newline === -1 ? chunk.length : newline;
				// Copy the segment in pieces that fit, emitting a full buffer first.
				let position = start;
				while (position < end) {
					if (length === maxLineBytes) {
						if (longLines === 'truncate') {
							dropping = true;
							break;
						}

						lines.push(take());
					}

					const count = Math.min(end - position, maxLineBytes - length);
					held.set(chunk.subarray(position, position + count), length);
					length += count;
					position += count;
				}

				if (newline === -1) {
					break;
				}

				// `\r\n` is accepted as a terminator: drop one carriage return before the LF.
				if (acceptCrLf && !dropping && length > 0 && held[length - 1] === cr) {
					length--;
				}

				dropping = false;
				lines.push(take());
				start = newline + 1;
			}

			return lines;
		},
		flush() {
			dropping = false;
			return length > 0 ? take() : undefined;
		},
	};
}
