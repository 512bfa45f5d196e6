// The last step every format's general parser shares: the texts found for the fields (by
// field index, undefined where absent) checked and converted, in the profile's order, into
// a reading. Missing required fields first, all named at once; then each field in turn.
import type {DeviceProfile, FieldValue, Reading} from '../device-profile.js';
import {checkedNumber, numberFromText} from './number-value.js';
import {matchStatus, unknownStatusReason} from './status-match.js';
import {levelRank, statusLevels} from './status-level.js';

export type ParseFailure = {ok: false; reason: string};

export function fail(reason: string): ParseFailure {
	return {ok: false, reason};
}

/** The keys of required fields without a text, or undefined when none is missing. */
export function missingReason(
	profile: DeviceProfile,
	found: readonly unknown[],
): string | undefined {
	let missing: string[] | undefined;
	const {fields} = profile;
	// Indexed, not entries(): the iterator and its pairs cost per line.
	const last = fields.length - 1;
	for (let index = 0; index <= last; index++) {
		const field = fields[index]!;
		if (!field.optional && found[index] === undefined) {
			(missing ??= []).push(field.key);
		}
	}

	return missing && `missing ${missing.join(', ')}`;
}

/**
 * The reading of the fields' texts, or the first reason one of them gives. A value the
 * format already read as a number (a JSON number) comes in as one.
 */
export function readingFromTexts(
	profile: DeviceProfile,
	texts: ReadonlyArray<string | number | undefined>,
): {ok: true; reading: Reading} | ParseFailure {
	const missing = missingReason(profile, texts);
	if (missing !== undefined) {
		return fail(missing);
	}

	const {fields} = profile;
	// Filled by push: Array.from({length}) costs more per line than the checks.
	const values: FieldValue[] = [];
	let rank = 0;
	const last = fields.length - 1;
	for (let index = 0; index <= last; index++) {
		const field = fields[index]!;
		const text = texts[index];
		if (text === undefined) {
			values.push(undefined);
			continue;
		}

		if (field.type === 'number') {
			const value =
				typeof text === 'number'
					? checkedNumber(field, text, text)
					: numberFromText(field, text);
			if (typeof value === 'string') {
				return fail(value);
			}

			values.push(value);
		} else {
			if (typeof text === 'number') {
				return fail(`${field.key} is not a text: ${text}`);
			}

			const level = matchStatus(field, text);
			if (level === undefined) {
				return fail(unknownStatusReason(field, text));
			}

			values.push(text);
			rank = Math.max(rank, levelRank(level));
		}
	}

	return {ok: true, reading: {values, level: statusLevels[rank]!}};
}
