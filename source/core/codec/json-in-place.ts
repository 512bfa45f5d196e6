// The fast path of a json profile: the object an ESP32 prints, `{"t":23.41,"env":{"p":1013.2}}`,
// read straight from the bytes, without JSON.parse building an object per line. It reads the
// line as JSON's grammar says (whitespace, members in any order, nested objects, other
// members skipped but checked, so that an invalid line is never a reading) and keeps to
// what it can be sure of: ASCII bytes only, strings without escapes, declared numbers
// without exponent and of at most 15 digits, in range, declared statuses among their levels,
// each declared member once. Anything else gives undefined and goes to JSON.parse in json.ts,
// whose reading this one always equals (the codec tests hold it to that).
import type {DeviceProfile, FieldValue, Field} from '../device-profile.js';
import {inRange} from './number-value.js';
import type {InPlaceReader} from './parse-result.js';
import {levelRank, statusLevels} from './status-level.js';
import {createStatusTexts, matchStatus} from './status-match.js';

/** The declared members of one object: a field's value, or an object on a field's path. */
type Level = ReadonlyArray<{
	readonly name: Uint8Array;
	/** The node's number, for telling a member given twice. */
	readonly node: number;
	readonly field: number;
	readonly inner: Level | undefined;
}>;

const quote = 0x22;
const backslash = 0x5c;
const colon = 0x3a;
const comma = 0x2c;
const openBrace = 0x7b;
const closeBrace = 0x7d;
const openBracket = 0x5b;
const closeBracket = 0x5d;
const minus = 0x2d;
const plus = 0x2b;
const dot = 0x2e;
const zero = 0x30;
const nine = 0x39;
const letterE = 0x65;
const capitalE = 0x45;

// Up to 15 digits a decimal's digits and 10 to the power of its fraction digits are both
// exact doubles, so their quotient is the correctly rounded value JSON.parse gives.
const maxDigits = 15;
const powersOfTen = Array.from(
	{length: maxDigits + 1},
	(_, power) => 10 ** power,
);

// Deeper members than this (of no declared field) are left to JSON.parse.
const maxSkipDepth = 32;

const encoder = new TextEncoder();
const nullBytes = encoder.encode('null');
const literals = [encoder.encode('true'), encoder.encode('false'), nullBytes];

/**
 * The in-place reader of a json profile, or undefined when its declaration allows no
 * byte-wise shortcut sure to agree with JSON.parse (a key that needs escaping, an empty
 * path segment, a key that is also a path to another, two fields with one key).
 */
export function createJsonInPlace(
	profile: DeviceProfile,
	maxLineBytes: number,
): InPlaceReader | undefined {
	if (profile.format.type !== 'json' || profile.fields.length === 0) {
		return undefined;
	}

	const root = levelTree(profile.fields);
	if (root === undefined) {
		return undefined;
	}

	const {fields} = profile;
	const last = fields.length - 1;
	const ignoreUnknown = profile.unknownKeys === 'ignore';
	const statusTexts = fields.map(() => createStatusTexts());
	const ranks = new Uint8Array(fields.length);
	// Which nodes this line has met: seen[node] === line.
	const seen = new Uint32Array(countNodes(root));
	let line = 0;
	let values: FieldValue[] = [];
	let number = 0;

	const skipSpace = (bytes: Uint8Array, from: number, end: number): number => {
		let index = from;
		while (index < end) {
			const byte = bytes[index]!;
			if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) {
				break;
			}

			index++;
		}

		return index;
	};

	/** Where the string at bytes[from] (its opening quote) ends, past its closing quote; -1 if not plain ASCII. */
	const stringEnd = (bytes: Uint8Array, from: number, end: number): number => {
		for (let index = from + 1; index < end; index++) {
			const byte = bytes[index]!;
			if (byte === quote) {
				return index + 1;
			}

			if (byte === backslash || byte < 0x20 || byte > 0x7e) {
				return -1;
			}
		}

		return -1;
	};

	// The digits digitsEnd read, as a number.
	let mantissa = 0;

	/** Where the digits at bytes[from..] end, each added to `mantissa`. */
	const digitsEnd = (bytes: Uint8Array, from: number, end: number): number => {
		let index = from;
		while (index < end && isDigit(bytes[index]!)) {
			mantissa = mantissa * 10 + bytes[index]! - zero;
			index++;
		}

		return index;
	};

	/**
	 * Where JSON's number at bytes[from] ends, -1 if there is none; its value in `number`
	 * when it is a plain decimal of at most 15 digits (else NaN: left to JSON.parse).
	 */
	const numberEnd = (bytes: Uint8Array, from: number, end: number): number => {
		const negative = bytes[from] === minus;
		const integer = negative ? from + 1 : from;
		mantissa = 0;
		// JSON allows no leading zero: `01` ends after its 0, and the 1 fails the caller.
		const integerEnd =
			integer < end && bytes[integer] === zero
				? integer + 1
				: digitsEnd(bytes, integer, end);
		if (integerEnd === integer) {
			return -1;
		}

		let fractionEnd = integerEnd;
		if (integerEnd < end && bytes[integerEnd] === dot) {
			fractionEnd = digitsEnd(bytes, integerEnd + 1, end);
			if (fractionEnd === integerEnd + 1) {
				return -1;
			}
		}

		const after = exponentEnd(bytes, fractionEnd, end);
		const fraction =
			fractionEnd === integerEnd ? 0 : fractionEnd - integerEnd - 1;
		if (after !== fractionEnd || integerEnd - integer + fraction > maxDigits) {
			number = Number.NaN;
		} else {
			const magnitude =
				fraction > 0 ? mantissa / powersOfTen[fraction]! : mantissa;
			number = negative ? -magnitude : magnitude;
		}

		return after;
	};

	/** Where the JSON value at bytes[from] ends, checked but not kept; -1 if unsure. */
	const skipValue = (
		bytes: Uint8Array,
		from: number,
		end: number,
		depth: number,
	): number => {
		if (from >= end) {
			return -1;
		}

		const byte = bytes[from]!;
		if (byte === quote) {
			return stringEnd(bytes, from, end);
		}

		if (byte === minus || isDigit(byte)) {
			return numberEnd(bytes, from, end);
		}

		if (byte === openBrace || byte === openBracket) {
			return depth < maxSkipDepth ? skipContainer(bytes, from, end, depth) : -1;
		}

		for (const word of literals) {
			if (startsWith(bytes, from, end, word)) {
				return from + word.length;
			}
		}

		return -1;
	};

	/** skipValue of an object or an array. */
	const skipContainer = (
		bytes: Uint8Array,
		from: number,
		end: number,
		depth: number,
	): number => {
		const object = bytes[from] === openBrace;
		const close = object ? closeBrace : closeBracket;
		let index = skipSpace(bytes, from + 1, end);
		if (index < end && bytes[index] === close) {
			return index + 1;
		}

		for (;;) {
			if (object) {
				index = memberValueStart(bytes, index, end);
				if (index < 0) {
					return -1;
				}
			}

			index = skipValue(bytes, index, end, depth + 1);
			if (index < 0) {
				return -1;
			}

			index = skipSpace(bytes, index, end);
			if (index >= end) {
				return -1;
			}

			if (bytes[index] === close) {
				return index + 1;
			}

			if (bytes[index] !== comma) {
				return -1;
			}

			index = skipSpace(bytes, index + 1, end);
		}
	};

	/** Past a member's `"name":` at bytes[from] and the space after; -1 if unsure. */
	const memberValueStart = (
		bytes: Uint8Array,
		from: number,
		end: number,
	): number => {
		if (from >= end || bytes[from] !== quote) {
			return -1;
		}

		const nameEnd = stringEnd(bytes, from, end);
		if (nameEnd < 0) {
			return -1;
		}

		const index = skipSpace(bytes, nameEnd, end);
		return index < end && bytes[index] === colon
			? skipSpace(bytes, index + 1, end)
			: -1;
	};

	/** The declared value at bytes[from] put in `values`; where it ends, -1 if unsure. */
	const readField = (
		bytes: Uint8Array,
		from: number,
		end: number,
		index: number,
	): number => {
		if (startsWith(bytes, from, end, nullBytes)) {
			// ArduinoJson's NaN: an absent value.
			return from + nullBytes.length;
		}

		const field = fields[index]!;
		if (field.type === 'number') {
			if (bytes[from] !== minus && !isDigit(bytes[from]!)) {
				return -1;
			}

			const after = numberEnd(bytes, from, end);
			if (after < 0 || !inRange(number, field.range)) {
				// NaN is in no range.
				return -1;
			}

			values[index] = number;
			return after;
		}

		if (bytes[from] !== quote) {
			return -1;
		}

		const after = stringEnd(bytes, from, end);
		if (after < 0) {
			return -1;
		}

		const text = statusTexts[index]!(bytes, from + 1, after - 1);
		const level = matchStatus(field, text);
		if (level === undefined) {
			return -1;
		}

		values[index] = text;
		ranks[index] = levelRank(level);
		return after;
	};

	/** Reads the object whose `{` is at bytes[from]; where it ends, -1 if unsure. */
	const readObject = (
		level: Level,
		bytes: Uint8Array,
		from: number,
		end: number,
	): number => {
		let index = skipSpace(bytes, from + 1, end);
		if (index < end && bytes[index] === closeBrace) {
			return index + 1;
		}

		for (;;) {
			const valueStart = memberValueStart(bytes, index, end);
			if (valueStart < 0) {
				return -1;
			}

			// The name is plain ASCII between quotes (memberValueStart checked it).
			const member = memberOf(
				level,
				bytes,
				index + 1,
				bytes.indexOf(quote, index + 1),
			);
			index = valueStart;
			if (member === undefined) {
				if (!ignoreUnknown) {
					return -1;
				}

				index = skipValue(bytes, index, end, 0);
			} else {
				// JSON.parse keeps the last of a member given twice: left to it.
				if (seen[member.node] === line) {
					return -1;
				}

				seen[member.node] = line;
				index =
					member.inner === undefined
						? readField(bytes, index, end, member.field)
						: index < end && bytes[index] === openBrace
							? readObject(member.inner, bytes, index, end)
							: -1;
			}

			if (index < 0) {
				return -1;
			}

			index = skipSpace(bytes, index, end);
			if (index >= end) {
				return -1;
			}

			if (bytes[index] === closeBrace) {
				return index + 1;
			}

			if (bytes[index] !== comma) {
				return -1;
			}

			index = skipSpace(bytes, index + 1, end);
		}
	};

	return (bytes, start, end) => {
		if (end - start >= maxLineBytes) {
			return undefined;
		}

		// A new number per line marks every node unseen; at wrap-around, clear them.
		line = line === 0xff_ff_ff_ff ? 1 : line + 1;
		if (line === 1) {
			seen.fill(0);
		}

		// The reading's own array; a line left to JSON.parse wastes it.
		// eslint-disable-next-line unicorn/no-new-array
		values = new Array<FieldValue>(last + 1);
		ranks.fill(0);
		const open = skipSpace(bytes, start, end);
		if (open >= end || bytes[open] !== openBrace) {
			return undefined;
		}

		const close = readObject(root, bytes, open, end);
		if (close < 0 || skipSpace(bytes, close, end) !== end) {
			return undefined;
		}

		let rank = 0;
		for (let index = 0; index <= last; index++) {
			if (values[index] === undefined && !fields[index]!.optional) {
				// JSON.parse's parser names what is missing.
				return undefined;
			}

			rank = Math.max(rank, ranks[index]!);
		}

		return {values, level: statusLevels[rank]!};
	};
}

type Building = Map<string, BuildingMember>;
type BuildingMember = {field: number; inner: Building | undefined};

/**
 * The declared members by object, from the fields' dotted keys; undefined when a key needs
 * escaping in JSON (a quote, a backslash, a control or non-ASCII character), has an empty
 * segment, or is also the path to another field.
 */
function levelTree(fields: readonly Field[]): Level | undefined {
	const root: Building = new Map<string, BuildingMember>();
	for (const [index, field] of fields.entries()) {
		const path = field.key.split('.');
		if (
			path.some(
				(name) =>
					name === '' || !/^[\u0020-\u007E]+$/.test(name) || /["\\]/.test(name),
			)
		) {
			return undefined;
		}

		let level = root;
		for (const [depth, name] of path.entries()) {
			const leaf = depth === path.length - 1;
			const known = level.get(name);
			if (leaf) {
				if (known !== undefined) {
					return undefined;
				}

				level.set(name, {field: index, inner: undefined});
			} else {
				if (known !== undefined && known.inner === undefined) {
					return undefined;
				}

				const inner: Building =
					known?.inner ?? new Map<string, BuildingMember>();
				level.set(name, {field: -1, inner});
				level = inner;
			}
		}
	}

	let nodes = 0;
	const freeze = (level: Building): Level =>
		[...level].map(([name, {field, inner}]) => ({
			name: encoder.encode(name),
			node: nodes++,
			field,
			inner: inner && freeze(inner),
		}));
	return freeze(root);
}

function countNodes(level: Level): number {
	return level.reduce(
		(total, member) =>
			total + 1 + (member.inner === undefined ? 0 : countNodes(member.inner)),
		0,
	);
}

/** The declared member named by bytes[start..end) (a name between its quotes), or undefined. */
function memberOf(
	level: Level,
	bytes: Uint8Array,
	start: number,
	end: number,
): Level[number] | undefined {
	for (const member of level) {
		const {name} = member;
		if (name.length === end - start && startsWith(bytes, start, end, name)) {
			return member;
		}
	}

	return undefined;
}

function isDigit(byte: number): boolean {
	return byte >= zero && byte <= nine;
}

/** Where the exponent at bytes[from] (`e`, sign, digits) ends: from if none, -1 if broken. */
function exponentEnd(bytes: Uint8Array, from: number, end: number): number {
	if (from >= end || (bytes[from] !== letterE && bytes[from] !== capitalE)) {
		return from;
	}

	let index = from + 1;
	if (index < end && (bytes[index] === plus || bytes[index] === minus)) {
		index++;
	}

	const digits = index;
	while (index < end && isDigit(bytes[index]!)) {
		index++;
	}

	return index === digits ? -1 : index;
}

/** Whether bytes[start..end) begins with `word`. */
function startsWith(
	bytes: Uint8Array,
	start: number,
	end: number,
	word: Uint8Array,
): boolean {
	if (end - start < word.length) {
		return false;
	}

	let index = word.length;
	while (index-- > 0) {
		if (bytes[start + index] !== word[index]) {
			return false;
		}
	}

	return true;
}
