import {Buffer} from 'node:buffer';
import test from 'ava';
import fc from 'fast-check';
import {createLineSplitter} from '../../source/core/line-splitter.js';

const text = (lines: Uint8Array[]) =>
	lines.map((line) => Buffer.from(line).toString('latin1'));

test('splits on LF, CRLF and a lone CR, holds a partial line back for the next chunk', (t) => {
	const splitter = createLineSplitter(64);
	t.deepEqual(text(splitter.push(Buffer.from('a\nb\r\nc'))), ['a', 'b']);
	t.deepEqual(text(splitter.push(Buffer.from('d\r'))), ['cd']);
	t.deepEqual(
		text(splitter.push(Buffer.from('\n\n'))),
		[''],
		'the LF of a CRLF cut between chunks ends nothing more',
	);
	t.is(splitter.flush(), undefined);
});

test('a device that ends its lines with CR alone: one line each, as a serial terminal shows them', (t) => {
	const splitter = createLineSplitter(64);
	t.deepEqual(text(splitter.push(Buffer.from('T:1,V:5,S:NORMAL\rT:2,V:5,'))), [
		'T:1,V:5,S:NORMAL',
	]);
	t.deepEqual(text(splitter.push(Buffer.from('S:NORMAL\r'))), [
		'T:2,V:5,S:NORMAL',
	]);
});

test('each CR and each LF not part of a CRLF ends a line, an empty one if need be', (t) => {
	const splitter = createLineSplitter(64);
	t.deepEqual(text(splitter.push(Buffer.from('a\r\r\nb\rc\n\rd\n'))), [
		'a',
		'',
		'b',
		'c',
		'',
		'd',
	]);
});

test("a port lost between the CR and the LF: the next connection's first LF ends a line of its own", (t) => {
	const splitter = createLineSplitter(64);
	t.deepEqual(text(splitter.push(Buffer.from('a\r'))), ['a']);
	t.is(splitter.flush(), undefined);
	t.deepEqual(text(splitter.push(Buffer.from('\nb\n'))), ['', 'b']);
});

test('lf mode, for raw.log read back: a CR is data', (t) => {
	const splitter = createLineSplitter(64, {lineEnds: 'lf'});
	t.deepEqual(text(splitter.push(Buffer.from('a\rb\r\nc\n'))), ['a\rb\r', 'c']);
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
					// Every byte comes out, in order, but the terminators (LF, CRLF, CR).
					return (
						lines.every((line) => line.length <= max) &&
						(rest?.length ?? 0) <= max &&
						output === input.replaceAll(/\r\n?|\n/g, '')
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
