// The shape nearly every line a device sends has, read straight from its bytes:
// `T:<decimal>,V:<decimal>,S:<status>` in that order, ASCII, each number a plain decimal
// (`-12`, `4.99`, `5.`, `.5`) of at most 15 digits. Such a line needs no decoding to a string,
// no split and no map of its fields, which cost most of a replay's parsing. Anything else
// (another order, an exponent, a value out of range, a byte that is not ASCII, ...) gives
// undefined and goes through the general parser, whose reading this one always equals
// (test/core/common-reading.test.ts holds it to that).
import type {ProtocolLimits, Reading, StatusLevel} from './protocol.js';

const colon = 0x3a;
const comma = 0x2c;
const dot = 0x2e;
const minus = 0x2d;
const plus = 0x2b;
const zero = 0x30;
const underscore = 0x5f;

// Up to 15 digits a decimal's digits and 10 to the power of its fraction digits are both
// exact doubles, so their quotient (one correctly rounded division) is the correctly
// rounded value of the decimal: what Number() gives for the same text.
const maxDigits = 15;
const powersOfTen = Array.from(
	{length: maxDigits + 1},
	(_, power) => 10 ** power,
);

const levels: ReadonlyArray<{level: StatusLevel; bytes: readonly number[]}> = (
	['NORMAL', 'WARNING', 'CRITICAL', 'OFFLINE'] as const
).map((level) => ({
	level,
	bytes: [...level].map((char) => char.codePointAt(0)!),
}));

/**
 * Reads lines of the common shape: the reading of bytes[start..end), or undefined (let the
 * general parser read it). It remembers the latest statuses, to make their strings once.
 */
export function createCommonReader(): (
	bytes: Uint8Array,
	start: number,
	end: number,
	limits: ProtocolLimits,
) => Reading | undefined {
	const statusText = createStatusTexts();
	return (bytes, start, end, limits) => {
		if (
			bytes[start] !== 0x54 ||
			bytes[start + 1] !== colon ||
			end - start >= limits.maxLineBytes
		) {
			return undefined;
		}

		const temperatureEnd = decimalEnd(bytes, start + 2, end);
		if (
			temperatureEnd < 0 ||
			bytes[temperatureEnd] !== comma ||
			bytes[temperatureEnd + 1] !== 0x56 ||
			bytes[temperatureEnd + 2] !== colon
		) {
			return undefined;
		}

		const voltageEnd = decimalEnd(bytes, temperatureEnd + 3, end);
		if (
			voltageEnd < 0 ||
			bytes[voltageEnd] !== comma ||
			bytes[voltageEnd + 1] !== 0x53 ||
			bytes[voltageEnd + 2] !== colon
		) {
			return undefined;
		}

		const temperature = decimalValue(bytes, start + 2, temperatureEnd);
		const voltage = decimalValue(bytes, temperatureEnd + 3, voltageEnd);
		const [minTemperature, maxTemperature] = limits.temperatureRangeC;
		const [minVoltage, maxVoltage] = limits.voltageRangeV;
		if (
			!(temperature >= minTemperature && temperature <= maxTemperature) ||
			!(voltage >= minVoltage && voltage <= maxVoltage)
		) {
			return undefined;
		}

		const statusStart = voltageEnd + 3;
		const level = statusLevel(bytes, statusStart, end);
		if (level === undefined) {
			return undefined;
		}

		return {
			temperature,
			voltage,
			status: statusText(bytes, statusStart, end),
			level,
		};
	};
}

/**
 * A status's text from its bytes (ASCII, as statusLevel checked), the same string object for
 * the same status while it is among the few most recent: a device repeats a handful of them.
 */
export function createStatusTexts(
	size = 16,
): (bytes: Uint8Array, start: number, end: number) => string {
	const known: Array<{bytes: Uint8Array; text: string}> = [];
	let next = 0;
	return (bytes, start, end) => {
		for (const entry of known) {
			if (sameBytes(entry.bytes, bytes, start, end)) {
				return entry.text;
			}
		}

		const copy = bytes.slice(start, end);
		const text = String.fromCodePoint(...copy);
		known[next] = {bytes: copy, text};
		next = (next + 1) % size;
		return text;
	};
}

function sameBytes(
	known: Uint8Array,
	bytes: Uint8Array,
	start: number,
	end: number,
): boolean {
	if (known.length !== end - start) {
		return false;
	}

	let index = known.length;
	while (index-- > 0) {
		if (known[index] !== bytes[start + index]) {
			return false;
		}
	}

	return true;
}

/**
 * Where a plain decimal starting at `start` ends (the first byte that is not part of it),
 * or -1 if there is none there or it is not plain: `[+-]?\d*\.?\d*` with a digit, at most
 * maxDigits of them.
 */
function decimalEnd(bytes: Uint8Array, start: number, end: number): number {
	let index = start;
	if (bytes[index] === minus || bytes[index] === plus) {
		index++;
	}

	let digits = 0;
	let dots = 0;
	for (; index < end; index++) {
		const byte = bytes[index]!;
		if (byte >= zero && byte <= zero + 9) {
			digits++;
		} else if (byte === dot && dots === 0) {
			dots++;
		} else {
			break;
		}
	}

	return digits === 0 || digits > maxDigits ? -1 : index;
}

/** The value of a decimal decimalEnd accepted. */
function decimalValue(bytes: Uint8Array, start: number, end: number): number {
	const negative = bytes[start] === minus;
	let index = negative || bytes[start] === plus ? start + 1 : start;
	let mantissa = 0;
	let fractionDigits = -1;
	for (; index < end; index++) {
		const byte = bytes[index]!;
		if (byte === dot) {
			fractionDigits = 0;
		} else {
			mantissa = mantissa * 10 + byte - zero;
			if (fractionDigits >= 0) {
				fractionDigits++;
			}
		}
	}

	const value =
		fractionDigits > 0 ? mantissa / powersOfTen[fractionDigits]! : mantissa;
	return negative ? -value : value;
}

/** The level of a status `LEVEL` or `LEVEL_[A-Z0-9_]+` filling bytes[start..end), else undefined. */
function statusLevel(
	bytes: Uint8Array,
	start: number,
	end: number,
): StatusLevel | undefined {
	for (const {level, bytes: name} of levels) {
		if (!startsWith(bytes, start, end, name)) {
			continue;
		}

		const rest = start + name.length;
		if (rest === end) {
			return level;
		}

		if (bytes[rest] !== underscore || rest + 1 === end) {
			return undefined;
		}

		for (let index = rest + 1; index < end; index++) {
			const byte = bytes[index]!;
			if (!(
				(byte >= 0x41 && byte <= 0x5a) ||
				(byte >= zero && byte <= zero + 9) ||
				byte === underscore
			)) {
				return undefined;
			}
		}

		return level;
	}

	return undefined;
}

function startsWith(
	bytes: Uint8Array,
	start: number,
	end: number,
	name: readonly number[],
): boolean {
	if (end - start < name.length) {
		return false;
	}

	for (const [index, byte] of name.entries()) {
		if (bytes[start + index] !== byte) {
			return false;
		}
	}

	return true;
}
