// Splits a file read back in chunks into lines, numbered by physical line: a line longer
// than maxLineBytes is cut there and its rest dropped, so it stays one line. Unlike the
// port's splitter (line-splitter.ts), a line that lies whole in one chunk is returned as a
// view of that chunk, not a copy: reading a long file back allocates per chunk, not per line.
// Only a line that spans chunks is copied. No CR handling: a file's lines keep their bytes.

export type FileLineSplitter = {
	/** Feed the next chunk (not to be modified afterwards); returns the lines it completed. */
	push(chunk: Uint8Array): Uint8Array[];
	/** The last line, if the file does not end with a newline. */
	flush(): Uint8Array | undefined;
};

const lf = 0x0a;

export function createFileLineSplitter(maxLineBytes: number): FileLineSplitter {
	// The start of a line that spans chunks (at most maxLineBytes of it).
	let pieces: Uint8Array[] = [];
	let held = 0;

	const hold = (piece: Uint8Array) => {
		const kept = piece.subarray(0, maxLineBytes - held);
		if (kept.length > 0) {
			pieces.push(kept);
			held += kept.length;
		}
	};

	const takeHeld = (): Uint8Array => {
		const line = new Uint8Array(held);
		let offset = 0;
		for (const piece of pieces) {
			line.set(piece, offset);
			offset += piece.length;
		}

		pieces = [];
		held = 0;
		return line;
	};

	return {
		push(chunk) {
			const lines: Uint8Array[] = [];
			let start = 0;
			for (
				let newline = chunk.indexOf(lf, start);
				newline !== -1;
				newline = chunk.indexOf(lf, start)
			) {
				if (pieces.length === 0) {
					lines.push(
						chunk.subarray(start, Math.min(newline, start + maxLineBytes)),
					);
				} else {
					hold(chunk.subarray(start, newline));
					lines.push(takeHeld());
				}

				start = newline + 1;
			}

			if (start < chunk.length) {
				hold(chunk.subarray(start));
			}

			return lines;
		},
		flush() {
			return pieces.length > 0 ? takeHeld() : undefined;
		},
	};
}
