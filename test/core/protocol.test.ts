import {Buffer} from 'node:buffer';
import test from 'ava';
import fc from 'fast-check';
import {compileCodec, type ParseResult} from '../../source/core/codec.js';
import {builtinProfile} from '../../source/core/device-profile.js';
import {escapeBytes} from '../../source/core/protocol.js';
import {parseLine} from '../helpers/tvs-line.js';
import {limits} from '../helpers/limits.js';

const codec = compileCodec(builtinProfile(limits), limits.maxLineBytes);

const parse = (text: string | Uint8Array): ParseResult =>
	codec.parse(typeof text === 'string' ? Buffer.from(text) : text);

const reasonOf = (text: string | Uint8Array): string => {
	const result = parse(text);
	return result.ok === false ? result.reason : String(result.ok);
};

test('a valid line gives its reading, level split from the reason', (t) => {
	t.deepEqual(parse('T:85.5,V:5.0,S:WARNING_TEMP'), {
		ok: true,
		reading: {values: [85.5, 5, 'WARNING_TEMP'], level: 'WARNING'},
	});
	t.true(parse('S:NORMAL,V:4.9,T:-12').ok, 'keys in any order');
	t.true(parse('T:1e1,V:.5,S:OFFLINE').ok, 'exponent and leading-dot numbers');
	t.true(parse('T:20,V:5,S:CRITICAL_OVER_VOLT_2').ok);
});

test('each kind of malformed line gets a precise reason', (t) => {
	t.is(reasonOf('T:25.0,S:NORMAL'), 'missing V');
	t.is(reasonOf('S:NORMAL'), 'missing T, V');
	t.is(reasonOf('T:abc,V:5.0,S:NORMAL'), "T is not a number: 'abc'");
	t.is(reasonOf('T:25,V:,S:NORMAL'), "V is not a number: ''");
	t.is(reasonOf('T:25,V:0x10,S:NORMAL'), "V is not a number: '0x10'");
	t.is(reasonOf('T:Infinity,V:5,S:NORMAL'), "T is not a number: 'Infinity'");
	t.is(reasonOf('T:1e999,V:5,S:NORMAL'), "T is not finite: '1e999'");
	t.is(reasonOf('T:25,V:5,S:NORMAL,T:26'), 'duplicate T');
	t.is(reasonOf('T:25,V:5,S:NORMAL,X:1'), "unknown key 'X'");
	t.is(reasonOf('T:25,V:5,S:NORMAL,'), "field without ':': ''");
	t.is(
		reasonOf('T:25,V:5,S:FINE'),
		"S is not a known status: 'FINE' (expected NORMAL, WARNING, CRITICAL, OFFLINE, optionally followed by _REASON)",
	);
	t.is(
		reasonOf('T:25,V:5,S:normal'),
		"S is not a known status: 'normal' (expected NORMAL, WARNING, CRITICAL, OFFLINE, optionally followed by _REASON)",
	);
	t.is(
		reasonOf('T:-300,V:5,S:NORMAL'),
		'T out of physical range: -300 (plausible -273.15..1000 °C)',
	);
	t.is(
		reasonOf('T:25,V:101,S:NORMAL'),
		'V out of physical range: 101 (plausible 0..100 V)',
	);
	t.is(reasonOf(''), 'empty line');
	t.is(reasonOf(' T:25,V:5,S:NORMAL'), "unknown key ' T'");
	t.is(reasonOf(Buffer.from([0x54, 0x3a, 0xff])), 'line is not valid UTF-8');
	t.is(
		reasonOf('x'.repeat(1024)),
		'line reached serial.max_line_bytes (1024 bytes) without an end; cut there',
	);
	t.is(
		reasonOf('x'.repeat(1025)),
		'line is longer than serial.max_line_bytes (1024 bytes)',
		'only from a raw.log written under a larger limit',
	);
	t.is(
		reasonOf('T:\u0007,V:5,S:NORMAL'),
		String.raw`T is not a number: '\x07'`,
	);
});

test('any number JavaScript prints within the limits reads back exactly', (t) => {
	t.notThrows(() => {
		fc.assert(
			fc.property(
				fc.double({min: -273.15, max: 1000, noNaN: true}),
				fc.double({min: 0, max: 100, noNaN: true}),
				fc.constantFrom('NORMAL', 'WARNING_TEMP', 'CRITICAL', 'OFFLINE_X'),
				(temperature, voltage, status) => {
					const result = parse(`T:${temperature},V:${voltage},S:${status}`);
					return (
						result.ok === true &&
						Object.is(
							result.reading.values[0],
							temperature === 0 ? 0 : temperature,
						) &&
						result.reading.values[1] === voltage &&
						result.reading.values[2] === status
					);
				},
			),
		);
	});
});

test('escapeBytes shows control and non-UTF-8 bytes as hex escapes and keeps text', (t) => {
	t.is(
		escapeBytes(Buffer.from('T:25\t\r\u0000ü\\')),
		String.raw`T:25\x09\x0d\x00ü\\`,
	);
	t.is(
		escapeBytes(Buffer.from([0x41, 0xff, 0xc3, 0x42, 0xe2, 0x82])),
		String.raw`A\xff\xc3B\xe2\x82`,
	);
	t.is(
		escapeBytes(Buffer.from('\u0085')),
		String.raw`\xc2\x85`,
		'C1 controls escaped too',
	);
});

test("parseLine gives the built-in codec's results in the T/V/S shape", (t) => {
	t.deepEqual(parseLine(Buffer.from('T:85.5,V:5.0,S:WARNING_TEMP'), limits), {
		ok: true,
		reading: {
			temperature: 85.5,
			voltage: 5,
			status: 'WARNING_TEMP',
			level: 'WARNING',
		},
	});
	t.deepEqual(parseLine(Buffer.from('T:25.0,S:NORMAL'), limits), {
		ok: false,
		reason: 'missing V',
	});
});

test('property: no byte sequence makes parse throw, and escapes never hold raw control bytes', (t) => {
	t.notThrows(() => {
		fc.assert(
			fc.property(fc.uint8Array({maxLength: 2000}), (bytes) => {
				const result = codec.parse(bytes);
				const escaped = escapeBytes(bytes);
				return (
					typeof result.ok === 'boolean' &&
					// eslint-disable-next-line no-control-regex
					!/[\u0000-\u001F\u007F-\u009F]/.test(escaped)
				);
			}),
			{numRuns: 2000},
		);
	});
});

/** parser_errors.log's escaping undone, as the README describes it. */
function unescape(text: string): Uint8Array {
	const parts: Uint8Array[] = [];
	for (const [, backslash, hex, plain] of text.matchAll(
		/(\\\\)|\\x([\da-f]{2})|([^\\]+)/gu,
	)) {
		parts.push(
			backslash
				? Buffer.from('\\')
				: hex
					? Buffer.from([Number.parseInt(hex, 16)])
					: Buffer.from(plain!),
		);
	}

	return Buffer.concat(parts);
}

test('escapeBytes escapes bidi controls, zero-width and other format characters, and line separators', (t) => {
	t.is(
		escapeBytes(Buffer.from('S:\u202EGNINRAW')),
		String.raw`S:\xe2\x80\xaeGNINRAW`,
	);
	for (const char of [
		'\u202A',
		'\u202B',
		'\u202C',
		'\u202D',
		'\u202E',
		'\u2066',
		'\u2067',
		'\u2068',
		'\u2069',
		'\u200B',
		'\u200D',
		'\u200E',
		'\uFEFF',
		'\u00AD',
		'\u2028',
		'\u2029',
	]) {
		const escaped = escapeBytes(Buffer.from(`a${char}b`));
		t.regex(
			escaped,
			/^a(?:\\x[\da-f]{2})+b$/,
			`U+${char.codePointAt(0)!.toString(16)}`,
		);
	}

	t.is(escapeBytes(Buffer.from('ü°€日本')), 'ü°€日本', 'other text stays');
});

test('property: escaped text holds no control or format character and unescapes to the same bytes', (t) => {
	const interesting = fc.constantFrom(
		...[
			'\u202E',
			'\u2066',
			'\u200B',
			'\uFEFF',
			'\u2028',
			'é',
			'\\',
			String.raw`\x41`,
			'\u0085',
		].map((text) => Buffer.from(text)),
	);
	t.notThrows(() => {
		fc.assert(
			fc.property(
				fc.array(fc.oneof(fc.uint8Array({maxLength: 8}), interesting)),
				(parts) => {
					const bytes = Buffer.concat(parts);
					const escaped = escapeBytes(bytes);
					return (
						!/[\p{Cc}\p{Cf}\u2028\u2029]/u.test(escaped) &&
						Buffer.compare(unescape(escaped), bytes) === 0
					);
				},
			),
			{numRuns: 2000},
		);
	});
});

test('property: escapeBytes reads UTF-8 as a strict TextDecoder does', (t) => {
	const strict = new TextDecoder('utf-8', {fatal: true});
	const decodeOrUndefined = (bytes: Uint8Array): string | undefined => {
		try {
			return strict.decode(bytes);
		} catch {
			return undefined;
		}
	};

	// Each maximal valid sequence kept as text (or escaped, if a control or format
	// character), each byte of an invalid one escaped.
	const disguising = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
	const reference = (bytes: Uint8Array): string => {
		let out = '';
		for (let index = 0; index < bytes.length;) {
			const byte = bytes[index]!;
			const length = byte < 0x80 ? 1 : byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
			const char = decodeOrUndefined(bytes.subarray(index, index + length));

			if (byte < 0x80) {
				out += escapeBytes(Uint8Array.of(byte));
				index++;
			} else if (
				char === undefined ||
				[...char].length !== 1 ||
				index + length > bytes.length
			) {
				out += String.raw`\x` + byte.toString(16).padStart(2, '0');
				index++;
			} else {
				out += disguising.test(char)
					? [...bytes.subarray(index, index + length)]
							.map(
								(part) => String.raw`\x` + part.toString(16).padStart(2, '0'),
							)
							.join('')
					: char;
				index += length;
			}
		}

		return out;
	};

	const utf8ish = fc.array(
		fc.oneof(
			fc.integer({min: 0x80, max: 0xff}),
			fc.integer({min: 0x80, max: 0xbf}),
			fc.integer({min: 0x20, max: 0x7e}),
		),
		{maxLength: 40},
	);
	fc.assert(
		fc.property(
			fc.oneof(
				utf8ish.map((bytes) => Uint8Array.from(bytes)),
				fc
					.string({unit: 'binary', maxLength: 20})
					.map((text) => new TextEncoder().encode(text)),
			),
			(bytes) => {
				t.is(escapeBytes(bytes), reference(bytes));
			},
		),
		{numRuns: 20_000},
	);
});
