// The fast path of a pairs profile, compiled from the same declaration as its general
// parser: the line that nearly every device sends, every field in declared order
// (`<key><assign><value><separator>...`, the first assign and separator characters), each
// number a plain decimal of at most 15 digits in its range, each status one of its levels,
// read straight from the bytes: no decoding, no split, no map. For the built-in profile
// that is `T:<decimal>,V:<decimal>,S:<status>`. Anything else (another order, an absent
// optional field, an exponent, a value out of range, a space, ...) gives undefined and goes
// to the general parser, whose reading this one always equals (the codec tests hold it to
// that for the built-in and for random profiles).
import type {DeviceProfile, FieldValue} from '../device-profile.js';
import {createDecimalReader, inRange} from './number-value.js';
import type {InPlaceReader} from './parse-result.js';
import {statusLevels, levelRank} from './status-level.js';
import {
	createStatusTexts,
	matchStatusBytes,
	startsWith,
	statusBytes,
	type StatusBytes,
} from './status-match.js';

type Step = {
	readonly key: Uint8Array;
	readonly range: readonly [number, number] | undefined;
	readonly status: StatusBytes | undefined;
	/** Each status match's level's rank, by the match's index. */
	readonly ranks: readonly number[];
	/** Each status match's value, the text of a status that is exactly it. */
	readonly values: readonly string[];
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
					statusText: createStatusTexts(),
				}
			: {
					key: encoder.encode(field.key),
					range: undefined,
					status: statusBytes(field),
					ranks: field.levels.map((known) => levelRank(known.level)),
					values: field.levels.map((known) => known.value),
					statusText: createStatusTexts(),
				},
	);
	const last = steps.length - 1;
	const decimal = createDecimalReader();
	// Filled per line and copied once it is a reading: a line left to the general parser
	// allocates nothing here.
	const scratch: FieldValue[] = Array.from({length: steps.length});

	return (bytes, start, end) => {
		if (end - start >= maxLineBytes) {
			return undefined;
		}

		let index = start;
		let rank = 0;
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

				scratch[field] = decimal.value;
				index = after;
			} else {
				let stop = index;
				while (stop < end && bytes[stop] !== separator) {
					stop++;
				}

				const match = matchStatusBytes(step.status, bytes, index, stop);
				if (match < 0) {
					return undefined;
				}

				// A bare value (most lines) is its own text.
				scratch[field] =
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

		return {values: [...scratch], level: statusLevels[rank]!};
	};
}
