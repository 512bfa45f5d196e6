import {Buffer} from 'node:buffer';
import test, {type ExecutionContext} from 'ava';
import fc from 'fast-check';
import {createIsoStampReader} from '../../source/core/iso-stamp.js';

// Years 0000 to 9999: stamps of 24 bytes, as raw.log holds.
const time = fc.integer({min: -62_167_219_200_000, max: 253_402_300_799_999});
const stampOf = (value: number) => new Date(value).toISOString();

function readsAsDateParse(
	t: ExecutionContext,
	read: (line: Uint8Array) => number,
	stamp: string,
) {
	const line = Buffer.from(`${stamp}\tT:1,V:5,S:NORMAL`, 'latin1');
	// The reader's stamp is a line's first 24 bytes (the raw.log reader checks the tab after them).
	t.is(
		read(line),
		Date.parse(line.subarray(0, 24).toString('latin1')),
		JSON.stringify(stamp),
	);
}

test('a stamp reads as Date.parse reads it, in time order or not', (t) => {
	fc.assert(
		fc.property(
			fc.array(time, {maxLength: 30}),
			fc.integer({min: 1, max: 100_000}),
			(times, step) => {
				const read = createIsoStampReader();
				for (const start of times) {
					for (const next of [start, start + step, start - step]) {
						readsAsDateParse(t, read, stampOf(next));
					}
				}
			},
		),
		{numRuns: 300},
	);
});

test('a damaged stamp (any byte of a stamp of the day just read replaced) reads as Date.parse reads it', (t) => {
	const day = Date.parse('2026-03-04T00:00:00.000Z');
	fc.assert(
		fc.property(
			fc.integer({min: 0, max: 86_399_999}),
			fc.integer({min: 0, max: 23}),
			fc.integer({min: 0, max: 255}),
			(offset, position, byte) => {
				const read = createIsoStampReader();
				readsAsDateParse(t, read, stampOf(day + offset));
				const damaged = Buffer.from(stampOf(day + offset), 'latin1');
				damaged[position] = byte;
				readsAsDateParse(t, read, damaged.toString('latin1'));
			},
		),
		{numRuns: 3000},
	);
});

test('hour 24, second 60 and day 31 of a short month follow Date.parse, before and after a cached day', (t) => {
	const read = createIsoStampReader();
	for (const stamp of [
		'2026-01-01T10:00:00.000Z',
		'2026-01-01T24:00:00.000Z',
		'2026-01-01T23:59:60.000Z',
		'2026-01-01T23:60:00.000Z',
		'2026-01-01T24:00:00.000Z',
		'2026-02-31T10:00:00.000Z',
		'2026-02-31T11:00:00.000Z',
		'2026-01-01T10:00:00.000Z',
		'2026-01-01T10:00:00.000+',
		'2026-01-01T10:0a:00.000Z',
	]) {
		readsAsDateParse(t, read, stamp);
	}
});

test('a stamp at an offset of a buffer that is then reused for the next lines reads as Date.parse reads it', (t) => {
	const read = createIsoStampReader();
	// One buffer, as the raw.log reader reuses its reads: the day it remembers is its own copy.
	const buffer = Buffer.alloc(64, 0x20);
	const readAt = (stamp: string, offset: number) => {
		buffer.write(stamp, offset, 'latin1');
		return read(buffer, offset);
	};

	for (const [stamp, offset] of [
		['2026-03-01T10:00:00.000Z', 3],
		['2026-03-02T10:00:00.000Z', 3],
		['2026-03-01T10:00:00.000Z', 7],
		['2026-03-02T11:00:00.000Z', 3],
	] as const) {
		t.is(readAt(stamp, offset), Date.parse(stamp), `${stamp} at ${offset}`);
	}
});
