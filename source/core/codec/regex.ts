// Fixed-layout text (the DHT library's `Humidity: 45.00%  Temperature: 23.00°C ...`, NMEA):
// a pattern whose named groups are the fields' keys, found anywhere in the line (anchor it
// with ^ and $ to match whole lines). Patterns run on re2js, a port of RE2 in plain
// JavaScript that matches in time linear in the line: no pattern can make a device line
// stall the logging, as a backtracking engine can (`(a+)+b` on a line of a's). RE2 has no
// lookaround and no backreference; such a pattern is refused at load.
import {RE2JS} from 're2js';
import type {DeviceProfile} from '../device-profile.js';
import {fail, readingFromTexts} from './field-values.js';
import type {TextParser} from './parse-result.js';

type RegexFormat = Extract<DeviceProfile['format'], {type: 'regex'}>;

/**
 * What is wrong with a pattern for the fields with these keys, or undefined: it does not
 * compile, it names no group, a group names no field, a field's key names no group.
 */
export function checkPattern(
	pattern: string,
	keys: readonly string[] = [],
): string | undefined {
	let groups: string[];
	try {
		groups = patternGroups(pattern);
	} catch (error) {
		return `invalid pattern (RE2 syntax: no lookaround, no backreference): ${error instanceof Error ? error.message : String(error)}`;
	}

	if (groups.length === 0) {
		return 'the pattern has no named group: a field is read from the group named (?<key>...) by its key';
	}

	const stray = groups.find((group) => !keys.includes(group));
	if (keys.length > 0 && stray !== undefined) {
		return `the group '${stray}' names no field's key`;
	}

	const unread = keys.find((key) => !groups.includes(key));
	if (unread !== undefined) {
		return `the field key '${unread}' names no group of the pattern`;
	}

	return undefined;
}

/** The named groups of a pattern; throws where RE2 cannot compile it. */
export function patternGroups(pattern: string): string[] {
	return Object.keys(RE2JS.compile(pattern).namedGroups());
}

/** The parser of a regex profile; throws on a pattern checkPattern refuses. */
export function createRegexParser(
	profile: DeviceProfile,
	format: RegexFormat,
): TextParser {
	const problem = checkPattern(
		format.pattern,
		profile.fields.map((field) => field.key),
	);
	if (problem !== undefined) {
		throw new Error(problem);
	}

	const pattern = RE2JS.compile(format.pattern);
	const groups = pattern.namedGroups();
	const indexes = profile.fields.map((field) => groups[field.key]!);

	return (text) => {
		const matcher = pattern.matcher(text);
		if (!matcher.find()) {
			return fail('line does not match the device pattern');
		}

		return readingFromTexts(
			profile,
			indexes.map((index) => matcher.group(index) ?? undefined),
		);
	};
}
