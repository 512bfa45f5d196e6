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

/** Each level by the first byte of its name (no two begin alike), with its name's bytes. */
const levelsByFirstByte: Array<
	{level: StatusLevel; bytes: Uint8Array} | undefined
> = [];
for (const level of ['NORMAL', 'WARNING', 'CRITICAL', 'OFFLINE'] as const) {
	const bytes = Uint8Array.from(level, (char) => char.codePointAt(0)!);
	levelsByFirstByte[bytes[0]!] = {level, bytes};
}

/**
 * Reads lines of the common shape: the reading of bytes[start..end), or undefined (let the
 * general parser read it). Nothing past `end` is read: the line may be one of many in a read
 * of a file. It remembers the latest statuses, to make their strings once.
 */
export function createCommonReader(): (
	bytes: Uint8Array,
	start: number,
	end: number,
	limits: ProtocolLimits,
) => Reading | undefined {
	const statusText = createStatusTexts();
	// The value of the decimal decimalEnd read last: one pass over its digits, no object.
	let value = 0;

	/**
	 * Where a plain decimal starting at `from` ends (the first byte that is not part of it),
	 * or -1 if there is none there or it is not plain: `[+-]?\d*\.?\d*` with a digit, at
	 * most maxDigits of them. Its value goes to `value`.
	 */
	const decimalEnd = (bytes: Uint8Array, from: number, end: number): number => {
		let index = from;
		const negative = bytes[index] === minus;
		if (negative || bytes[index] === plus) {
			index++;
		}

		let digits = 0;
		let mantissa = 0;
		// -1 until the dot, then the digits after it.
		let fractionDigits = -1;
		for (; index < end; index++) {
			const digit = bytes[index]! - zero;
			if (digit >= 0 && digit <= 9) {
				digits++;
				mantissa = mantissa * 10 + digit;
				if (fractionDigits >= 0) {
					fractionDigits++;
				}
			} else if (bytes[index] === dot && fractionDigits < 0) {
				fractionDigits = 0;
			} else {
				break;
			}
		}

		if (digits === 0 || digits > maxDigits) {
			return -1;
		}

		const magnitude =
			fractionDigits > 0 ? mantissa / powersOfTen[fractionDigits]! : mantissa;
		value = negative ? -magnitude : magnitude;
		return index;
	};

	return (bytes, start, end, limits) => {
		if (
			end - start >= limits.maxLineBytes ||
			end - start < 2 ||
			bytes[start] !== 0x54 ||
			bytes[start + 1] !== colon
		) {
			return undefined;
		}

		const temperatureEnd = decimalEnd(bytes, start + 2, end);
		const temperature = value;
		if (
			temperatureEnd < 0 ||
			temperatureEnd + 3 > end ||
			bytes[temperatureEnd] !== comma ||
			bytes[temperatureEnd + 1] !== 0x56 ||
			bytes[temperatureEnd + 2] !== colon
		) {
			return undefined;
		}

		const voltageEnd = decimalEnd(bytes, temperatureEnd + 3, end);
		const voltage = value;
		if (
			voltageEnd < 0 ||
			voltageEnd + 3 > end ||
			bytes[voltageEnd] !== comma ||
			bytes[voltageEnd + 1] !== 0x53 ||
			bytes[voltageEnd + 2] !== colon
		) {
			return undefined;
		}

		if (
			!inRange(temperature, limits.temperatureRangeC) ||
			!inRange(voltage, limits.voltageRangeV)
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
			// A bare level (most lines) is its own text.
			status:
				end - statusStart === level.length
					? level
					: statusText(bytes, statusStart, end),
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

		// A copy: slice() of a Buffer is a view, which a reader reusing its buffer overwrites.
		const copy = new Uint8Array(bytes.subarray(start, end));
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

// Indexed, not destructured: the iterator a destructuring asks for cost per line.
function inRange(value: number, range: readonly [number, number]): boolean {
	return value >= range[0] && value <= range[1];
}

/** The level of a status `LEVEL` or `LEVEL_[A-Z0-9_]+` filling bytes[start..end), else undefined. */
function statusLevel(
	bytes: Uint8Array,
	start: number,
	end: number,
): StatusLevel | undefined {
	// The first letter tells which level it can be.
	const known = levelsByFirstByte[bytes[start]!];
	if (known === undefined || !startsWith(bytes, start, end, known.bytes)) {
		return undefined;
	}

	const rest = start + known.bytes.length;
	if (rest === end) {
		return known.level;
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

	return known.level;
}

function startsWith(
	bytes: Uint8Array,
	start: number,
	end: number,
	name: Uint8Array,
): boolean {
	if (end - start < name.length) {
		return false;
	}

	let index = name.length;
	while (index-- > 0) {
		if (bytes[start + index] !== name[index]) {
			return false;
		}
	}

	return true;
}
