import {Buffer} from 'node:buffer';
import test from 'ava';
import {parseLine} from '../helpers/tvs-line.js';
import {defaultConfig, protocolLimits} from '../../source/core/config.js';
import {
	createUtf16Watch,
	isUtf16Text,
	utf16Reason,
} from '../../source/core/utf16-text.js';

const reading = 'T:25.0,V:5.0,S:NORMAL';
const le = (text: string) => Buffer.from(text, 'utf16le');
const be = (text: string) => le(text).swap16();

test('UTF-16 text in either byte order, with or without a BOM, and a little-endian line cut at its LF', (t) => {
	t.true(isUtf16Text(Buffer.concat([Buffer.from([0xff, 0xfe]), le(reading)])));
	t.true(isUtf16Text(le(reading)));
	t.true(isUtf16Text(Buffer.concat([Buffer.from([0xfe, 0xff]), be(reading)])));
	t.true(isUtf16Text(be(reading)));
	// `...\n\0T\0:\0...`: the line after an LF starts with the LF's NUL.
	t.true(isUtf16Text(Buffer.concat([Buffer.from([0]), le(reading)])));
});

test('not UTF-16: ASCII, NUL bytes here and there, NULs alone, a BOM alone, one character', (t) => {
	for (const bytes of [
		Buffer.from(reading),
		Buffer.from(`${reading}\0`),
		Buffer.from('\0'.repeat(10)),
		Buffer.from('T:25\0,V:5.0,S:NORMAL'),
		Buffer.from([0xff, 0xfe]),
		le('T'),
		Buffer.from('\0'),
		le('T:25.0,V:5.0,S:NORMAL°'),
	]) {
		t.false(isUtf16Text(bytes), `${JSON.stringify(bytes.toString('latin1'))}`);
	}
});

test('a UTF-16 line is one parse error saying so', (t) => {
	const limits = protocolLimits(defaultConfig);
	t.deepEqual(parseLine(le(reading), limits), {ok: false, reason: utf16Reason});
});

test('the notice comes once, at the first UTF-16 line, naming its raw.log line', (t) => {
	const watch = createUtf16Watch();
	t.is(watch(1, [Buffer.from(reading)]), undefined);
	const notice = watch(2, [Buffer.from(reading), le(reading)]);
	t.regex(notice ?? '', /UTF-16 text \(raw\.log line 3 on/);
	t.is(watch(4, [le(reading)]), undefined);
});
