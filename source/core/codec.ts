// A device profile compiled into the reader of its lines. Every format shares the checks
// of line-checks.ts and the field conversions of field-values.ts; the format's own module
// finds the fields' texts. The fast paths of a pairs or json profile are compiled from the
// same declaration as its general parser, and the tests hold them to agree.
import type {DeviceProfile, Reading} from './device-profile.js';
import {createCsvParser} from './codec/csv.js';
import {createJsonInPlace} from './codec/json-in-place.js';
import {createJsonParser} from './codec/json.js';
import {lineSizeProblem, lineText} from './codec/line-checks.js';
import {createPairsInPlace} from './codec/pairs-in-place.js';
import {createPairsParser} from './codec/pairs.js';
import type {
	InPlaceReader,
	ParseResult,
	TextParser,
} from './codec/parse-result.js';
import {createRegexParser} from './codec/regex.js';

export type {ParseResult} from './codec/parse-result.js';
export {checkPattern, patternGroups} from './codec/regex.js';

export type Codec = {
	/**
	 * What one line (terminator removed) is: a reading, a reason, or ignored. Never throws.
	 * A CSV profile's codec remembers the latest header line (see codec/csv.ts), so lines are
	 * to be parsed in order.
	 */
	parse(bytes: Uint8Array): ParseResult;
	/**
	 * The fast path: the reading of bytes[start..end) if the line has the profile's common
	 * shape, read in place (nothing outside the range), else undefined (let parse() judge
	 * it). A reading it gives is the one parse() gives for the same bytes; the reading's
	 * values array is its own, the object and the strings in it may be shared.
	 */
	readInPlace(
		bytes: Uint8Array,
		start: number,
		end: number,
	): Reading | undefined;
};

const none: InPlaceReader = () => undefined;

/**
 * The codec of a profile; throws on a declaration config checks refuse (a bad pattern).
 * `inPlace: false` leaves the fast path out of parse(), for tests to hold the two equal.
 */
export function compileCodec(
	profile: DeviceProfile,
	maxLineBytes: number,
	{inPlace = true}: {inPlace?: boolean} = {},
): Codec {
	const {format} = profile;
	let parseText: TextParser;
	let readInPlace = none;
	switch (format.type) {
		case 'pairs': {
			parseText = createPairsParser(profile, format);
			readInPlace = createPairsInPlace(profile, maxLineBytes) ?? none;
			break;
		}

		case 'csv': {
			parseText = createCsvParser(profile, format);
			break;
		}

		case 'json': {
			parseText = createJsonParser(profile);
			readInPlace = createJsonInPlace(profile, maxLineBytes) ?? none;
			break;
		}

		case 'regex': {
			parseText = createRegexParser(profile, format);
			break;
		}
	}

	return {
		readInPlace,
		parse(bytes) {
			const problem = lineSizeProblem(bytes, maxLineBytes);
			if (problem !== undefined) {
				return {ok: false, reason: problem};
			}

			const reading = inPlace ? readInPlace(bytes, 0, bytes.length) : undefined;
			if (reading) {
				return {ok: true, reading};
			}

			const text = lineText(bytes);
			if (typeof text !== 'string') {
				return {ok: false, reason: text.reason};
			}

			try {
				return parseText(text);
			} catch (error) {
				// No format throws on any text (the property tests hold them to it); should one,
				// the line is malformed, and the logging goes on.
				return {
					ok: false,
					reason: `line could not be read: ${error instanceof Error ? error.message : String(error)}`,
				};
			}
		},
	};
}
