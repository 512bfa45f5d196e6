// The fast path of a pairs profile, compiled from the same declaration as its general
// parser: the line that nearly every device sends, every field in declared order
// (`<key><assign><value><separator>...`, the first assign and separator characters), each
// number a plain decimal of at most 15 digits in its range, each status one of its levels,
// read straight from the bytes: no decoding, no split, no map. For the built-in profile
// that is `T:<decimal>,V:<decimal>,S:<status>`. Anything else (another order, an absent
// optional field, an exponent, a value out of range, a space, ...) gives undefined and goes
// to the general parser, whose reading this one always equals (the codec tests hold it to
// that for the built-in and for random profiles).
import type {
	DeviceProfile,
	FieldValue,
	StatusField,
} from '../device-profile.js';
import {createDecimalReader, inRange} from './number-value.js';
import type {InPlaceReader} from './parse-result.js';
import {statusLevels, levelRank} from './status-level.js';
import {createStatusTexts} from './status-match.js';

const underscore = 0x5f;
const zero = 0x30;

/** A status field's matches as bytes. */
type StatusBytes = ReadonlyArray<{
	readonly bytes: Uint8Array;
	readonly prefix: boolean;
}>;

type Step = {
	readonly key: Uint8Array;
	readonly range: readonly [number, number] | undefined;
	readonly status: StatusBytes | undefined;
	/** Each status match's level's rank, by the match's index. */
	readonly ranks: readonly number[];
	/** Each status match's value, the text of a status that is exactly it. */
	readonly values: readonly string[];
	/**
	 * The only match a status starting with a byte can be, by that byte: -1 none, -2 more
	 * than one (then each is tried in order).
	 */
	readonly byFirstByte: Int16Array;
	readonly statusText: (
		bytes: Uint8Array,
		start: number,
		end: number,
	) => string;
};

/**
 * The in-place reader of a pairs profile, or undefined when its declaration allows no
 * byte-wise shortcut that is sure to agree with the general parser (a separator or an
 * assign character that can be part of a number or a status, one inside a key or a status
 * value, a control character in a key, two fields with one key).
 */
export function createPairsInPlace(
	profile: DeviceProfile,
	maxLineBytes: number,
	{generate = true}: {generate?: boolean} = {},
): InPlaceReader | undefined {
	const {format} = profile;
	if (format.type !== 'pairs' || profile.fields.length === 0) {
		return undefined;
	}

	const special = format.separators + format.assign + ' ';
	const unsafe = (text: string): boolean =>
		[...text].some(
			(char) => special.includes(char) || char.codePointAt(0)! < 0x20,
		);
	if (
		/[\w.+-]/.test(special) ||
		new Set(profile.fields.map((field) => field.key)).size !==
			profile.fields.length ||
		profile.fields.some(
			(field) =>
				field.key === '' ||
				unsafe(field.key) ||
				(field.type === 'status' &&
					field.levels.some(
						(known) => known.value === '' || unsafe(known.value),
					)),
		)
	) {
		return undefined;
	}

	const assign = format.assign.codePointAt(0)!;
	const separator = format.separators.codePointAt(0)!;
	if (assign > 0x7f || separator > 0x7f) {
		return undefined;
	}

	const encoder = new TextEncoder();
	const steps: Step[] = profile.fields.map((field) =>
		field.type === 'number'
			? {
					key: encoder.encode(field.key),
					range: field.range,
					status: undefined,
					ranks: [],
					values: [],
					byFirstByte: new Int16Array(0),
					statusText: createStatusTexts(),
				}
			: {
					key: encoder.encode(field.key),
					range: undefined,
					status: statusBytes(field),
					ranks: field.levels.map((known) => levelRank(known.level)),
					values: field.levels.map((known) => known.value),
					byFirstByte: firstByteTable(statusBytes(field)),
					statusText: createStatusTexts(),
				},
	);
	const last = steps.length - 1;
	const decimal = createDecimalReader();
	// Where the status matchStatus found last ends.
	let statusEnd = 0;

	/**
	 * The index in `known` of the first match (with `only`, of that match) that the status
	 * at bytes[start..] makes, as matchStatus judges its text: the bytes up to the separator
	 * or `end`; -1 for none. Where it ends goes to statusEnd.
	 */
	const matchStatus = (
		known: StatusBytes,
		bytes: Uint8Array,
		start: number,
		end: number,
		only: number | undefined,
	): number => {
		const last = only ?? known.length - 1;

		for (let index = only ?? 0; index <= last; index++) {
			const candidate = known[index]!;
			if (!startsWith(bytes, start, end, candidate.bytes)) {
				continue;
			}

			let stop = start + candidate.bytes.length;
			if (
				candidate.prefix &&
				stop + 1 < end &&
				bytes[stop] === underscore &&
				isReasonByte(bytes[stop + 1]!)
			) {
				stop += 2;
				while (stop < end && isReasonByte(bytes[stop]!)) {
					stop++;
				}
			}

			if (stop === end || bytes[stop] === separator) {
				statusEnd = stop;
				return index;
			}
		}

		return -1;
	};

	const loop: InPlaceReader = (bytes, start, end) => {
		if (end - start >= maxLineBytes) {
			return undefined;
		}

		let index = start;
		let rank = 0;
		// The reading's own array; a line left to the general parser wastes it, a cost small
		// beside that parser's. new Array(n): Array.from's iteration cost per line.
		// eslint-disable-next-line unicorn/no-new-array
		const values = new Array<FieldValue>(last + 1);
		for (let field = 0; field <= last; field++) {
			const step = steps[field]!;
			if (!startsWith(bytes, index, end, step.key)) {
				return undefined;
			}

			index += step.key.length;
			if (index >= end || bytes[index] !== assign) {
				return undefined;
			}

			index++;
			if (step.status === undefined) {
				const after = decimal.end(bytes, index, end);
				if (after < 0 || !inRange(decimal.value, step.range!)) {
					return undefined;
				}

				values[field] = decimal.value;
				index = after;
			} else {
				const only = step.byFirstByte[bytes[index]!]!;
				const match =
					only === -1
						? -1
						: matchStatus(
								step.status,
								bytes,
								index,
								end,
								only === -2 ? undefined : only,
							);
				if (match < 0) {
					return undefined;
				}

				const stop = statusEnd;
				// A bare value (most lines) is its own text.
				values[field] =
					stop - index === step.status[match]!.bytes.length
						? step.values[match]!
						: step.statusText(bytes, index, stop);
				rank = Math.max(rank, step.ranks[match]!);
				index = stop;
			}

			if (field < last) {
				if (index >= end || bytes[index] !== separator) {
					return undefined;
				}

				index++;
			} else if (index !== end) {
				return undefined;
			}
		}

		return {values, level: statusLevels[rank]!};
	};

	if (!generate) {
		return loop;
	}

	try {
		// No text of the declaration is in the source, only indexes into these arguments.
		// eslint-disable-next-line no-new-func, @typescript-eslint/no-unsafe-type-assertion
		const compile = new Function(
			'steps',
			'decimal',
			'matchStatus',
			'statusEnd',
			'startsWith',
			'statusLevels',
			'maxLineBytes',
			'separator',
			'assign',
			unrolledSource(steps),
		) as (...parts: unknown[]) => InPlaceReader;
		return compile(
			steps,
			decimal,
			matchStatus,
			() => statusEnd,
			startsWith,
			statusLevels,
			maxLineBytes,
			separator,
			assign,
		);
	} catch {
		// Code generation from strings is disallowed in this process
		// (--disallow-code-generation-from-strings): the loop reads the same readings.
		return loop;
	}
}

/**
 * The source of `loop` unrolled for these fields: a statement per field and the values
 * as an array literal, with no loop over the steps and no value array filled in place,
 * which made the built-in device's reading cost about a fifth more instructions in a
 * replay. It reads exactly what `loop` reads (the codec tests compare the two). Only
 * indexes and numbers of the declaration are written in it.
 */
function unrolledSource(steps: readonly Step[]): string {
	const lines = [
		'"use strict";',
		...steps.map((_, field) => `const step${field} = steps[${field}];`),
		'return (bytes, start, end) => {',
		'if (end - start >= maxLineBytes) return undefined;',
		'let index = start;',
		'let rank = 0;',
		'let after = 0;',
		'let only = 0;',
		'let match = 0;',
	];
	for (const [field, step] of steps.entries()) {
		const name = `step${field}`;
		if (field > 0) {
			lines.push(
				'if (index >= end || bytes[index] !== separator) return undefined;',
				'index++;',
			);
		}

		lines.push(
			`if (!startsWith(bytes, index, end, ${name}.key)) return undefined;`,
			`index += ${step.key.length};`,
			'if (index >= end || bytes[index] !== assign) return undefined;',
			'index++;',
			...(step.status === undefined
				? [
						'after = decimal.end(bytes, index, end);',
						`const value${field} = decimal.value;`,
						`if (after < 0 || !(value${field} >= ${name}.range[0] && value${field} <= ${name}.range[1])) return undefined;`,
					]
				: [
						`only = index < end ? ${name}.byFirstByte[bytes[index]] : -1;`,
						`match = only === -1 ? -1 : matchStatus(${name}.status, bytes, index, end, only === -2 ? undefined : only);`,
						'if (match < 0) return undefined;',
						'after = statusEnd();',
						`const value${field} = after - index === ${name}.status[match].bytes.length ? ${name}.values[match] : ${name}.statusText(bytes, index, after);`,
						`if (${name}.ranks[match] > rank) rank = ${name}.ranks[match];`,
					]),
			'index = after;',
		);
	}

	lines.push(
		'if (index !== end) return undefined;',
		`return {values: [${steps.map((_, field) => `value${field}`).join(', ')}], level: statusLevels[rank]};`,
		'};',
	);
	return lines.join('\n');
}

function firstByteTable(known: StatusBytes): Int16Array {
	const table = new Int16Array(256).fill(-1);
	for (const [index, {bytes}] of known.entries()) {
		const byte = bytes[0]!;
		table[byte] = table[byte] === -1 ? index : -2;
	}

	return table;
}

function statusBytes(field: StatusField): StatusBytes {
	const encoder = new TextEncoder();
	return field.levels.map((known) => ({
		bytes: encoder.encode(known.value),
		prefix: known.match === 'prefix',
	}));
}

/** A byte of a status's reason: `[A-Z\d_]`. */
function isReasonByte(byte: number): boolean {
	return (
		(byte >= 0x41 && byte <= 0x5a) ||
		(byte >= zero && byte <= zero + 9) ||
		byte === underscore
	);
}

/** Whether bytes[start..end) begins with `name`. */
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
