import {Buffer} from 'node:buffer';
import test from 'ava';
import fc from 'fast-check';
import {compileCodec} from '../../source/core/codec.js';
import {createStatusTexts} from '../../source/core/codec/status-match.js';
import {
	builtinProfile,
	type Reading,
} from '../../source/core/device-profile.js';
import {statusLevels} from '../../source/core/protocol.js';
import {limits} from '../helpers/limits.js';

const read = (text: string, prefix = ''): Reading | undefined => {
	const bytes = Buffer.from(prefix + text, 'latin1');
	return compileCodec(builtinProfile(limits), limits.maxLineBytes).readInPlace(
		bytes,
		prefix.length,
		bytes.length,
	);
};

// What the general parser gives for a line of the common shape, written independently: the
// numbers as Number() reads them, the status as sent, the level its first word.
const expected = (text: string): Reading | undefined => {
	const match =
		/^T:([+-]?(?:\d+\.?\d*|\.\d+)),V:([+-]?(?:\d+\.?\d*|\.\d+)),S:((NORMAL|WARNING|CRITICAL|OFFLINE)(?:_[A-Z\d_]+)?)$/.exec(
			text,
		);
	if (!match) {
		return undefined;
	}

	const [, t = '', v = '', status = '', level] = match;
	const temperature = Number(t);
	const voltage = Number(v);
	const [tMin, tMax] = limits.temperatureRangeC;
	const [vMin, vMax] = limits.voltageRangeV;
	return temperature >= tMin &&
		temperature <= tMax &&
		voltage >= vMin &&
		voltage <= vMax
		? {
				values: [temperature, voltage, status],
				level: statusLevels.find((known) => known === level)!,
			}
		: undefined;
};

const digits = (most: number) =>
	fc.stringMatching(new RegExp(String.raw`^\d{0,${most}}$`));
const plainDecimal = fc
	.tuple(fc.constantFrom('', '-', '+'), digits(9), fc.boolean(), digits(8))
	.map(
		([sign, whole, dot, fraction]) =>
			`${sign}${whole}${dot ? '.' : ''}${dot ? fraction : ''}`,
	);
const anyNumber = fc.oneof(
	plainDecimal,
	fc.constantFrom(
		'1e1',
		'.5',
		'5.',
		'-0',
		'-0.00',
		'0.0000001',
		'1234567890123456',
		'123456789012345',
		'9007199254740993',
		'4.49999999999999999999',
		'0x10',
		'NaN',
		'',
		'.',
		'-',
		' 5',
	),
	fc.string({maxLength: 6}),
);
const anyStatus = fc.oneof(
	fc.constantFrom(
		'NORMAL',
		'WARNING_TEMP',
		'CRITICAL_UNDERVOLT',
		'OFFLINE',
		'NORMAL_',
		'normal',
		'NORMALX',
		'WARNING_É',
		'CRITICAL,',
		'',
	),
	fc.stringMatching(/^(NORMAL|WARNING|CRITICAL|OFFLINE)(_[A-Z\d_]{1,5})?$/),
);

test('a line of the common shape reads as Number() and the status pattern read it, anything else is left to the general parser', (t) => {
	fc.assert(
		fc.property(
			anyNumber,
			anyNumber,
			anyStatus,
			fc.constantFrom('', '2025-01-01T00:00:00.000Z\t'),
			(temperature, voltage, status, prefix) => {
				const text = `T:${temperature},V:${voltage},S:${status}`;
				const reading = read(text, prefix);
				const wanted = expected(text);
				if (reading === undefined) {
					// Only lines outside the common shape go on: exponents, more than 15 digits.
					return (
						wanted === undefined ||
						/[eE]/.test(text) ||
						/\d{16}/.test(text.replaceAll('.', ''))
					);
				}

				t.deepEqual(reading, wanted);
				// -0 stays -0, as Number('-0') is.
				return (
					Object.is(reading.values[0], wanted?.values[0]) &&
					Object.is(reading.values[1], wanted?.values[1])
				);
			},
		),
		{numRuns: 20_000},
	);
});

test('the device lines of the common shape are read here, not left to the general parser', (t) => {
	t.deepEqual(read('T:31.23,V:5.00,S:NORMAL'), {
		values: [31.23, 5, 'NORMAL'],
		level: 'NORMAL',
	});
	t.deepEqual(read('T:-12.,V:.5,S:CRITICAL_UNDER_VOLT_2'), {
		values: [-12, 0.5, 'CRITICAL_UNDER_VOLT_2'],
		level: 'CRITICAL',
	});
	t.true(Object.is(read('T:-0.0,V:5,S:NORMAL')?.values[0], -0));
	t.is(read('T:999.999999999999,V:5,S:NORMAL')?.values[0], 999.999_999_999_999);
});

test('what the general parser must judge is left to it', (t) => {
	for (const text of [
		'S:NORMAL,V:5,T:20',
		'T:1e1,V:5,S:NORMAL',
		'T:1234567890123456,V:5,S:NORMAL',
		'T:20,V:5,S:NORMAL,T:21',
		'T:20,V:5,S:NORMAL\r',
		'T:2000,V:5,S:NORMAL',
		'T:20,V:-1,S:NORMAL',
		'T:20,V:5,S:NORMAL_',
		'T:20,V:5,S:FINE',
		'T:,V:5,S:NORMAL',
		'\uFEFFT:20,V:5,S:NORMAL',
	]) {
		t.is(read(text), undefined, `line ${JSON.stringify(text)}`);
	}

	const long = `T:20,V:5,S:NORMAL_${'X'.repeat(limits.maxLineBytes)}`;
	t.is(read(long), undefined, 'a line at or past max_line_bytes');
});

test('a status repeated is one string, and a status past the remembered ones still reads right', (t) => {
	const statusText = createStatusTexts(2);
	const text = (status: string) => {
		const bytes = Buffer.from(`x${status}y`, 'latin1');
		return statusText(bytes, 1, bytes.length - 1);
	};

	const first = text('NORMAL');
	t.is(first, 'NORMAL');
	t.is(text('NORMAL'), first);
	t.is(text('WARNING_TEMP'), 'WARNING_TEMP');
	t.is(text('CRITICAL'), 'CRITICAL');
	t.is(text('NORMAL'), 'NORMAL');
	t.is(text('NORMAL_1'), 'NORMAL_1');
});

test('a status remembered from a buffer that is then overwritten keeps its own bytes', (t) => {
	const statusText = createStatusTexts(2);
	const buffer = Buffer.from('NORMAL', 'latin1');
	t.is(statusText(buffer, 0, 6), 'NORMAL');
	// A reader reusing its buffer puts the next read where the last status was.
	buffer.write('OFFLIN', 0, 'latin1');
	t.is(statusText(buffer, 0, 6), 'OFFLIN');
});
