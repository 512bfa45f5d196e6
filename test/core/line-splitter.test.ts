import {Buffer} from 'node:buffer';
import test from 'ava';
import fc from 'fast-check';
import {createLineSplitter} from '../../source/core/line-splitter.js';

const text = (lines: Uint8Array[]) =>
	lines.map((line) => Buffer.from(line).toString('latin1'));

test('splits on LF, accepts CRLF, holds a partial line back for the next chunk', (t) => {
	const splitter = createLineSplitter(64);
	t.deepEqual(text(splitter.push(Buffer.from('a\nb\r\nc'))), ['a', 'b']);
	t.deepEqual(text(splitter.push(Buffer.from('d\r'))), []);
	t.deepEqual(text(splitter.push(Buffer.from('\n\n'))), ['cd', '']);
	t.is(splitter.flush(), undefined);
});

test('only one CR before the LF is a terminator; CR elsewhere is data', (t) => {
	const splitter = createLineSplitter(64);
	t.deepEqual(text(splitter.push(Buffer.from('a\r\r\nb\rc\n'))), [
		'a\r',
		'b\rc',
	]);
});

test('a line without newline is cut at max bytes and the rest starts a new line', (t) => {
	const splitter = createLineSplitter(4);
	t.deepEqual(text(splitter.push(Buffer.from('abcdefghij'))), ['abcd', 'efgh']);
	t.deepEqual(text(splitter.push(Buffer.from('k\nxy'))), ['ijk']);
	t.deepEqual(text([splitter.flush()!]), ['xy']);
	t.deepEqual(
		text(splitter.push(Buffer.from('1234\n'))),
		['1234'],
		'exactly max bytes then LF is one line',
	);
});

test('property: every byte but the terminators comes back, in order, no line longer than max', (t) => {
	t.notThrows(() => {
		fc.assert(
			fc.property(
				fc.array(fc.uint8Array({maxLength: 300}), {maxLength: 20}),
				fc.integer({min: 1, max: 64}),
				(chunks, max) => {
					const splitter = createLineSplitter(max);
					const lines = chunks.flatMap((chunk) => splitter.push(chunk));
					const rest = splitter.flush();
					const input = Buffer.concat(chunks).toString('latin1');
					const output = Buffer.concat([
						...lines,
						...(rest ? [rest] : []),
					]).toString('latin1');
					// Every byte comes out, in order, but the terminators (LF, or the CR of a CRLF).
					return (
						lines.every((line) => line.length <= max) &&
						(rest?.length ?? 0) <= max &&
						output === input.replaceAll(/\r?\n/g, '')
					);
				},
			),
			{numRuns: 1000},
		);
	});
});

test('truncate mode: a long line stays one line, its rest dropped up to the LF', (t) => {
	const splitter = createLineSplitter(4, {longLines: 'truncate'});
	t.deepEqual(
		splitter
			.push(Buffer.from('abcdefgh'))
			.map((line) => Buffer.from(line).toString()),
		[],
	);
	t.deepEqual(
		splitter
			.push(Buffer.from('ij\nkl\n'))
			.map((line) => Buffer.from(line).toString()),
		['abcd', 'kl'],
	);
});
