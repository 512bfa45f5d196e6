import {Buffer} from 'node:buffer';
import test from 'ava';
import fc from 'fast-check';
import {
	maxNumberBytes,
	putDigits,
	putNumber,
} from '../../source/core/ascii-bytes.js';

const bytes = new Uint8Array(64);
const numberText = (value: number) =>
	Buffer.from(bytes.subarray(0, putNumber(bytes, 0, value))).toString('latin1');

test('a number is written as String() writes it', (t) => {
	for (const value of [
		0,
		-0,
		5,
		4.99,
		-12.5,
		0.05,
		0.000_001,
		1e-7,
		0.1 + 0.2,
		123_456_789_012_345,
		1e15,
		1e21,
		-273.15,
		Number.MIN_VALUE,
		Number.MAX_VALUE,
		Number.NaN,
		Number.POSITIVE_INFINITY,
		Number.NEGATIVE_INFINITY,
	]) {
		t.is(numberText(value), String(value));
	}

	fc.assert(
		fc.property(
			fc.oneof(
				fc.double(),
				// Decimals as devices send them: a few fraction digits.
				fc
					.tuple(
						fc.integer({min: -1e9, max: 1e9}),
						fc.integer({min: 0, max: 8}),
					)
					.map(([mantissa, fraction]) => mantissa / 10 ** fraction),
			),
			(value) => {
				const text = numberText(value);
				t.true(text.length <= maxNumberBytes);
				return text === String(value);
			},
		),
		{numRuns: 50_000},
	);
});

test('an integer is written as its digits', (t) => {
	for (const value of [0, 7, 10, 99, 1_000_000, Number.MAX_SAFE_INTEGER]) {
		const end = putDigits(bytes, 3, value);
		t.is(Buffer.from(bytes.subarray(3, end)).toString('latin1'), String(value));
	}
});
