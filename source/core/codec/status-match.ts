// A status field's text to a level: the field's matches tried in order, `exact` (the whole
// text) or `prefix` (the text, or the text then `_` and a reason of capitals, digits and
// underscores, as `WARNING_TEMP`). The same judgement on a string and, for the fast paths,
// on bytes.
import type {StatusField} from '../device-profile.js';
import {quote} from './escape-bytes.js';
import type {StatusLevel} from './status-level.js';

const reasonPattern = /^[A-Z\d_]+$/;
const underscore = 0x5f;

/** The level the text maps to, or undefined. */
export function matchStatus(
	field: StatusField,
	text: string,
): StatusLevel | undefined {
	for (const known of field.levels) {
		if (
			text === known.value ||
			(known.match === 'prefix' &&
				text.length > known.value.length + 1 &&
				text.startsWith(known.value) &&
				text.codePointAt(known.value.length) === underscore &&
				reasonPattern.test(text.slice(known.value.length + 1)))
		) {
			return known.level;
		}
	}

	return undefined;
}

/** Why a text is no status of the field. */
export function unknownStatusReason(field: StatusField, text: string): string {
	const prefixes = field.levels.filter((known) => known.match === 'prefix');
	const all = prefixes.length === field.levels.length;
	const expected = field.levels
		.map((known) =>
			known.match === 'prefix' && !all
				? `${known.value}[_REASON]`
				: known.value,
		)
		.join(', ');
	return `${field.key} is not a known status: ${quote(text)} (expected ${expected}${all ? ', optionally followed by _REASON' : ''})`;
}

/**
 * A status's text from its bytes, the same string object for the same status while it is among the few most recent:
 * a device repeats a handful of them.
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
		const text = new TextDecoder().decode(copy);
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
