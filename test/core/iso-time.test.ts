import {Buffer} from 'node:buffer';
import test from 'ava';
import fc from 'fast-check';
import {createIsoTime, createIsoTimeBytes} from '../../source/core/iso-time.js';

// From 0001 to 9999, where toISOString writes four-digit years, and around them.
const time = fc.integer({min: -62_198_755_200_000, max: 253_402_300_799_999});

test('a time formats as toISOString() does, in time order or not', (t) => {
	fc.assert(
		fc.property(
			fc.array(time, {maxLength: 50}),
			fc.integer({min: 1, max: 5000}),
			(times, step) => {
				const isoTime = createIsoTime();
				// Runs of close times (the cache's case) after arbitrary jumps.
				for (const start of times) {
					for (const next of [
						start,
						start + step,
						start + 2 * step,
						start - step,
					]) {
						t.is(isoTime(next), new Date(next).toISOString());
					}
				}
			},
		),
		{numRuns: 300},
	);
});

test('midnight, the last millisecond of a day, years outside 0000-9999, fractions', (t) => {
	const isoTime = createIsoTime();
	for (const value of [
		Date.parse('2026-01-01T23:59:59.999Z'),
		Date.parse('2026-01-02T00:00:00.000Z'),
		Date.parse('1969-12-31T23:59:59.999Z'),
		0,
		-1,
		8.64e15,
		-8.64e15,
		1.5,
	]) {
		t.is(isoTime(value), new Date(value).toISOString(), `${value}`);
	}

	t.throws(() => isoTime(Number.NaN), {instanceOf: RangeError});
});

test('a time written as bytes is toISOString() too', (t) => {
	const putTime = createIsoTimeBytes();
	const bytes = new Uint8Array(40);
	fc.assert(
		fc.property(
			fc.array(fc.oneof(time, fc.double({min: 0, max: 2e12, noNaN: true})), {
				maxLength: 50,
			}),
			(times) => {
				// Within a second, across its end, back into the one before, a day on.
				for (const next of times.flatMap((start) => [
					start,
					start + 1,
					start + 999,
					start + 1000,
					start - 1,
					start + 86_400_000,
				])) {
					const end = putTime(bytes, 2, next);
					t.is(
						Buffer.from(bytes.subarray(2, end)).toString('latin1'),
						new Date(next).toISOString(),
					);
				}
			},
		),
		{numRuns: 300},
	);
});
