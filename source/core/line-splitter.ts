// Splits a byte stream into lines with bounded memory, unlike serialport's ReadlineParser.
// Invariant: at most maxLineBytes bytes are ever held. When a line reaches that size
// without a terminator it is emitted as it stands (the parser then rejects it for its
// length) and the bytes after it start a new line, so nothing received is dropped; or, for
// a file read back, the rest of it is dropped, so that line numbers stay physical lines.
// A device's line ends are LF, CRLF or a lone CR, as serial terminals take them (a device
// that ends its lines with CR alone would otherwise give one long malformed line).

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
		// 'lf' for reading raw.log back: its lines end with LF only, and a CR in one (a device's,
		// logged before a lone CR ended a line) is data.
		lineEnds = 'any',
		// 'split': a long line's rest starts a new line (a device's stream). 'truncate': the
		// rest is dropped up to the terminator, so a line stays one line however long (a
		// file whose lines are numbered).
		longLines = 'split',
	}: {lineEnds?: 'any' | 'lf'; longLines?: 'split' | 'truncate'} = {},
): LineSplitter {
	const held = new Uint8Array(maxLineBytes);
	let length = 0;
	// The last line ended with a CR: an LF next, even in the next chunk, is the rest of a CRLF.
	let afterCr = false;

	const take = (): Uint8Array => {
		const line = held.slice(0, length);
		length = 0;
		return line;
	};

	return {
		push(chunk) {
			const lines: SplitLine[] = [];
			let start = 0;
			// The next LF and CR at or after `start`: -1 when the chunk has no more, so that a
			// chunk of many lines is searched once through, not once a line.
			let nextLf = -2;
			let nextCr = lineEnds === 'any' ? -2 : -1;
			while (start < chunk.length) {
				if (afterCr) {
					afterCr = false;
					if (chunk[start] === lf) {
						start++;
						continue;
					}
				}

				if (nextLf !== -1 && nextLf < start) {
					nextLf = chunk.indexOf(lf, start);
				}

				if (nextCr !== -1 && nextCr < start) {
					nextCr = chunk.indexOf(cr, start);
				}

				const terminator =
					nextCr === -1
						? nextLf
						: nextLf === -1
							? nextCr
							: Math.min(nextLf, nextCr);
				const end = terminator === -1 ? chunk.length : terminator;
				// Copy the segment in pieces that fit, emitting a full buffer first.
				let position = start;
				while (position < end) {
					if (length === maxLineBytes) {
						if (longLines === 'truncate') {
							break;
						}

						lines.push(take());
					}

					const count = Math.min(end - position, maxLineBytes - length);
					held.set(chunk.subarray(position, position + count), length);
					length += count;
					position += count;
				}

				if (terminator === -1) {
					break;
				}

				afterCr = chunk[terminator] === cr;
				lines.push(take());
				start = terminator + 1;
			}

			return lines;
		},
		flush() {
			afterCr = false;
			return length > 0 ? take() : undefined;
		},
	};
}
