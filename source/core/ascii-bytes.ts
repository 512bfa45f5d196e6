// Writing ASCII text straight into a byte buffer, for files written a record per reading:
// building each record as a string and encoding it cost more than the rest of a replay's
// CSV. Each function writes at `offset` and returns where it stopped; the caller makes
// sure there is room (numbers take at most maxNumberBytes).

const zero = 0x30;

/** The most bytes putNumber writes: String() of a double is at most 25 characters. */
export const maxNumberBytes = 25;

// Up to this many fraction digits putNumber writes a decimal itself; past it, or past 15
// significant digits, it writes String()'s text.
const maxFractionDigits = 6;
const maxMantissa = 1e15;
const powersOfTen = Array.from(
	{length: maxFractionDigits + 1},
	(_, power) => 10 ** power,
);

/** Text whose every code unit is below 0x80, as its bytes. */
export function putAscii(
	bytes: Uint8Array,
	offset: number,
	text: string,
): number {
	for (let index = 0; index < text.length; index++) {
		bytes[offset + index] = text.codePointAt(index)!;
	}

	return offset + text.length;
}

/** A non-negative safe integer's decimal digits. */
export function putDigits(
	bytes: Uint8Array,
	offset: number,
	value: number,
): number {
	let digits = 1;
	for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) {
		digits++;
	}

	let rest = value;
	for (let index = offset + digits - 1; index >= offset; index--) {
		const next = Math.floor(rest / 10);
		bytes[index] = zero + (rest - next * 10);
		rest = next;
	}

	return offset + digits;
}

/**
 * A number as String() writes it. A value that some decimal of at most 15 significant
 * digits and at most 6 fraction digits reads back as (every reading a device sends) is
 * written from the fewest fraction digits that read back as it: up to 15 digits two
 * decimals never read as the same double, so that one is the shortest decimal that reads
 * back, which is what String() writes (ECMA-262 Number::toString) between 1e-6 and 1e21.
 */
export function putNumber(
	bytes: Uint8Array,
	offset: number,
	value: number,
): number {
	const magnitude = Math.abs(value);
	for (let fraction = 0; fraction <= maxFractionDigits; fraction++) {
		const scale = powersOfTen[fraction]!;
		// Rounded, not truncated: the product can miss the integer by a rounding error.
		const mantissa = Math.round(magnitude * scale);
		if (mantissa >= maxMantissa) {
			break;
		}

		if (mantissa / scale === magnitude) {
			if (mantissa === 0) {
				return putAscii(bytes, offset, '0');
			}

			if (value < 0) {
				bytes[offset] = 0x2d;
				return putDecimal(bytes, offset + 1, mantissa, fraction);
			}

			return putDecimal(bytes, offset, mantissa, fraction);
		}
	}

	return putAscii(bytes, offset, String(value));
}

function putDecimal(
	bytes: Uint8Array,
	offset: number,
	mantissa: number,
	fraction: number,
): number {
	let at = offset;
	if (fraction === 0) {
		return putDigits(bytes, at, mantissa);
	}

	const scale = powersOfTen[fraction]!;
	const whole = Math.floor(mantissa / scale);
	at = putDigits(bytes, at, whole);
	bytes[at++] = 0x2e;
	// The fraction's digits with their leading zeros (mantissa has no trailing one).
	let rest = mantissa - whole * scale;
	for (let index = at + fraction - 1; index >= at; index--) {
		const next = Math.floor(rest / 10);
		bytes[index] = zero + (rest - next * 10);
		rest = next;
	}

	return at + fraction;
}
