// The device's line protocol: `T:<°C>,V:<volts>,S:<LEVEL[_REASON]>`, one reading per line.
// Validation is strict: every key exactly once, finite numbers in a plausible
// physical range, a known level, nothing else. Anything else is a ParseFailure whose
// reason names exactly what was wrong.
import {createCommonReader} from './common-reading.js';
import {isUtf16Text, utf16Reason} from './utf16-text.js';

export const statusLevels = [
	'NORMAL',
	'WARNING',
	'CRITICAL',
	'OFFLINE',
] as const;
export type StatusLevel = (typeof statusLevels)[number];

export type Reading = {
	temperature: number;
	voltage: number;
	/** The device's status exactly as sent, e.g. `WARNING_TEMP`. */
	status: string;
	level: StatusLevel;
};

export type ProtocolLimits = {
	maxLineBytes: number;
	temperatureRangeC: readonly [number, number];
	voltageRangeV: readonly [number, number];
};

export type ParseResult =
	{ok: true; reading: Reading} | {ok: false; reason: string};

const keys = ['T', 'V', 'S'] as const;
type Key = (typeof keys)[number];
const numberPattern = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const statusPattern = /^(NORMAL|WARNING|CRITICAL|OFFLINE)(?:_[A-Z\d_]+)?$/;
const maxQuotedChars = 40;
// ignoreBOM keeps a byte order mark as a character: by default TextDecoder drops a leading
// one, so `<BOM>T:85,...` would parse as a reading and an escaped BOM would vanish.
const decoder = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true});
const disguising = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
const readCommon = createCommonReader();

/**
 * The reading of the line bytes[start..end) if it has the common shape, read in place
 * (nothing past `end`); undefined for any other line, which parseLine then reads. Where it
 * gives a reading, it is the one parseLine gives for the same bytes.
 */
export function readCommonLine(
	bytes: Uint8Array,
	start: number,
	end: number,
	limits: ProtocolLimits,
): Reading | undefined {
	return readCommon(bytes, start, end, limits);
}

/** Parse one line (terminator already removed). Never throws. */
export function parseLine(
	bytes: Uint8Array,
	limits: ProtocolLimits,
): ParseResult {
	// Only a raw.log written under a larger limit holds a longer line: the live splitter cuts
	// at the limit.
	if (bytes.length > limits.maxLineBytes) {
		return fail(
			`line is longer than serial.max_line_bytes (${limits.maxLineBytes} bytes)`,
		);
	}

	if (bytes.length === limits.maxLineBytes) {
		return fail(
			`line reached serial.max_line_bytes (${limits.maxLineBytes} bytes) without an end; cut there`,
		);
	}

	if (bytes.length === 0) {
		return fail('empty line');
	}

	const common = readCommon(bytes, 0, bytes.length, limits);
	if (common) {
		return {ok: true, reading: common};
	}

	if (isUtf16Text(bytes)) {
		return fail(utf16Reason);
	}

	let text: string;
	try {
		text = decoder.decode(bytes);
	} catch {
		return fail('line is not valid UTF-8');
	}

	const values = new Map<Key, string>();
	for (const field of text.split(',')) {
		const colon = field.indexOf(':');
		if (colon === -1) {
			return fail(`field without ':': ${quote(field)}`);
		}

		const key = field.slice(0, colon);
		if (!isKey(key)) {
			return fail(`unknown key ${quote(key)}`);
		}

		if (values.has(key)) {
			return fail(`duplicate ${key}`);
		}

		values.set(key, field.slice(colon + 1));
	}

	const missing = keys.filter((key) => !values.has(key));
	if (missing.length > 0) {
		return fail(`missing ${missing.join(', ')}`);
	}

	const temperature = parseNumber(
		'T',
		values.get('T')!,
		limits.temperatureRangeC,
		'°C',
	);
	if (typeof temperature === 'string') {
		return fail(temperature);
	}

	const voltage = parseNumber('V', values.get('V')!, limits.voltageRangeV, 'V');
	if (typeof voltage === 'string') {
		return fail(voltage);
	}

	const status = values.get('S')!;
	const level = statusPattern.exec(status)?.[1];
	if (!isLevel(level)) {
		return fail(
			`S is not a known status: ${quote(status)} (expected ${statusLevels.join(', ')}, optionally followed by _REASON)`,
		);
	}

	return {ok: true, reading: {temperature, voltage, status, level}};
}

/**
 * Printable form of arbitrary bytes: control, format and non-UTF-8 bytes as \xNN,
 * backslash doubled. Reversible: `\\` is a backslash, `\xNN` a byte, the rest UTF-8.
 */
export function escapeBytes(bytes: Uint8Array): string {
	let out = '';
	let index = 0;
	while (index < bytes.length) {
		const byte = bytes[index]!;
		if (byte < 0x80) {
			out +=
				byte === 0x5c
					? '\\\\'
					: byte < 0x20 || byte === 0x7f
						? hexEscape(byte)
						: String.fromCodePoint(byte);
			index++;
			continue;
		}

		const length = utf8SequenceLength(bytes, index);
		if (length === 0) {
			out += hexEscape(byte);
			index++;
		} else {
			const char = utf8Char(bytes, index, length);
			// C1 controls (U+0080..U+009F) are as dangerous in a terminal as C0 ones; format
			// characters (bidi overrides and isolates, zero-width ones, the BOM) and the line
			// and paragraph separators can make shown text read differently from its bytes
			// (CVE-2021-42574, "Trojan Source").
			out += disguising.test(char)
				? [...bytes.subarray(index, index + length)]
						.map((part) => hexEscape(part))
						.join('')
				: char;
			index += length;
		}
	}

	return out;
}

function parseNumber(
	key: Key,
	raw: string,
	[min, max]: readonly [number, number],
	unit: string,
): number | string {
	if (!numberPattern.test(raw)) {
		return `${key} is not a number: ${quote(raw)}`;
	}

	const value = Number(raw);
	if (!Number.isFinite(value)) {
		return `${key} is not finite: ${quote(raw)}`;
	}

	if (value < min || value > max) {
		return `${key} out of physical range: ${raw} (plausible ${min}..${max} ${unit})`;
	}

	return value;
}

function isLevel(level: string | undefined): level is StatusLevel {
	return (statusLevels as readonly unknown[]).includes(level);
}

function isKey(key: string): key is Key {
	return (keys as readonly string[]).includes(key);
}

function quote(text: string): string {
	const cut =
		text.length > maxQuotedChars ? `${text.slice(0, maxQuotedChars)}…` : text;
	return `'${escapeBytes(new TextEncoder().encode(cut))}'`;
}

function fail(reason: string): ParseResult {
	return {ok: false, reason};
}

function hexEscape(byte: number): string {
	return String.raw`\x` + byte.toString(16).padStart(2, '0');
}

/**
 * Length of a valid UTF-8 sequence starting at index, or 0 if the bytes there are not one
 * (RFC 3629: no overlong form, no surrogate, nothing past U+10FFFF). Checked by hand: a
 * TextDecoder call per character cost most of writing a garbage line to the error log.
 */
function utf8SequenceLength(bytes: Uint8Array, index: number): number {
	const lead = bytes[index]!;
	const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc2 ? 2 : 0;
	if (length === 0 || lead > 0xf4 || index + length > bytes.length) {
		return 0;
	}

	// The second byte's range depends on the lead; the others are plain continuations.
	const second = bytes[index + 1]!;
	const [low, high] =
		lead === 0xe0
			? [0xa0, 0xbf]
			: lead === 0xed
				? [0x80, 0x9f]
				: lead === 0xf0
					? [0x90, 0xbf]
					: lead === 0xf4
						? [0x80, 0x8f]
						: [0x80, 0xbf];
	if (second < low || second > high) {
		return 0;
	}

	for (let next = index + 2; next < index + length; next++) {
		if (bytes[next]! < 0x80 || bytes[next]! > 0xbf) {
			return 0;
		}
	}

	return length;
}

/** The character of a valid sequence utf8SequenceLength measured. */
function utf8Char(bytes: Uint8Array, index: number, length: number): string {
	// The lead's bits after its length marker, then six bits from each continuation.
	let codePoint =
		bytes[index]! - (length === 2 ? 0xc0 : length === 3 ? 0xe0 : 0xf0);
	for (let next = index + 1; next < index + length; next++) {
		codePoint = codePoint * 64 + bytes[next]! - 0x80;
	}

	return String.fromCodePoint(codePoint);
}
