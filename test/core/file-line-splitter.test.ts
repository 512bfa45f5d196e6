import test from 'ava';
import fc from 'fast-check';
import {createFileLineSplitter} from '../../source/core/file-line-splitter.js';
import {createLineSplitter} from '../../source/core/line-splitter.js';

/** Cuts `bytes` at the given offsets (sorted, deduplicated). */
function cut(bytes: Uint8Array, offsets: number[]): Uint8Array[] {
	const points = [
		...new Set(offsets.map((offset) => offset % (bytes.length + 1))),
	].toSorted((a, b) => a - b);
	const chunks: Uint8Array[] = [];
	let start = 0;
	for (const point of [...points, bytes.length]) {
		chunks.push(bytes.slice(start, point));
		start = point;
	}

	return chunks;
}

function allLines(
	splitter: {
		push(chunk: Uint8Array): Uint8Array[];
		flush(): Uint8Array | undefined;
	},
	chunks: Uint8Array[],
): number[][] {
	const lines = chunks.flatMap((chunk) => splitter.push(chunk));
	const rest = splitter.flush();
	return [...lines, ...(rest ? [rest] : [])].map((line) => [...line]);
}

test('the same lines as the port splitter reading a file back, however the file is cut into reads', (t) => {
	fc.assert(
		fc.property(
			fc.uint8Array({maxLength: 200}).map((bytes) =>
				// Plenty of newlines and CRs among the bytes.
				bytes.map((byte) =>
					byte % 5 === 0 ? 0x0a : byte % 7 === 0 ? 0x0d : byte,
				),
			),
			fc.array(fc.nat(), {maxLength: 20}),
			fc.integer({min: 1, max: 12}),
			(bytes, offsets, maxLineBytes) => {
				const chunks = cut(bytes, offsets);
				t.deepEqual(
					allLines(createFileLineSplitter(maxLineBytes), chunks),
					allLines(
						createLineSplitter(maxLineBytes, {
							lineEnds: 'lf',
							longLines: 'truncate',
						}),
						chunks,
					),
				);
			},
		),
		{numRuns: 3000},
	);
});

test('a line whole in one read is a view of it, not a copy', (t) => {
	const chunk = new TextEncoder().encode('one\ntwo\nthr');
	const splitter = createFileLineSplitter(100);
	const [one, two] = splitter.push(chunk);
	t.is(one!.buffer, chunk.buffer);
	t.is(two!.buffer, chunk.buffer);
	t.is(
		new TextDecoder().decode(
			splitter.push(new TextEncoder().encode('ee\n'))[0],
		),
		'three',
	);
});
