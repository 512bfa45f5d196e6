// A number field's value, from text (every format) or in place from bytes (the fast paths).
// Both accept the same plain decimals and give the same double for them.
import type {NumberField} from '../device-profile.js';
import {quote} from './escape-bytes.js';

const numberPattern = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The value of a number field's text, or the reason it is none. */
export function numberFromText(
	field: NumberField,
	raw: string,
): number | string {
	if (!numberPattern.test(raw)) {
		return `${field.key} is not a number: ${quote(raw)}`;
	}

	return checkedNumber(field, Number(raw), raw);
}

/**
 * A number already read (a JSON number): finite and in the field's range, or the reason.
 * `raw` is the text the reason quotes; a JSON number is its own, turned into text only for a
 * reason, since String() of a double on every reading costs more than the check itself.
 */
export function checkedNumber(
	field: NumberField,
	value: number,
	raw: string | number,
): number | string {
	if (!Number.isFinite(value)) {
		return `${field.key} is not finite: ${quote(String(raw))}`;
	}

	if (!inRange(value, field.range)) {
		const [min, max] = field.range;
		const unit = field.unit === '' ? '' : ` ${field.unit}`;
		return `${field.key} out of physical range: ${raw} (plausible ${min}..${max}${unit})`;
	}

	return value;
}

// Indexed, not destructured: the iterator a destructuring asks for cost per line.
export function inRange(
	value: number,
	range: readonly [number, number],
): boolean {
	return value >= range[0] && value <= range[1];
}

const dot = 0x2e;
const minus = 0x2d;
const plus = 0x2b;
const zero = 0x30;

// Up to 15 digits a decimal's digits and 10 to the power of its fraction digits are both
// exact doubles, so their quotient (one correctly rounded division) is the correctly
// rounded value of the decimal: what Number() gives for the same text.
const maxDigits = 15;
const powersOfTen = Array.from(
	{length: maxDigits + 1},
	(_, power) => 10 ** power,
);

/** Reads plain decimals in place; the value of the last one read is in `value`. */
export type DecimalReader = {
	value: number;
	/**
	 * Where a plain decimal starting at `from` ends (the first byte that is not part of it),
	 * or -1 if there is none there or it is not plain: `[+-]?\d*\.?\d*` with a digit, at
	 * most 15 of them. Nothing at or past `end` is read.
	 */
	end(bytes: Uint8Array, from: number, end: number): number;
};

export function createDecimalReader(): DecimalReader {
	const reader: DecimalReader = {
		value: 0,
		end(bytes, from, end) {
			let index = from;
			const negative = from < end && bytes[index] === minus;
			if (negative || (from < end && bytes[index] === plus)) {
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
			reader.value = negative ? -magnitude : magnitude;
			return index;
		},
	};
	return reader;
}
