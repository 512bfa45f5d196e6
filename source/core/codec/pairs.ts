// `label:value` parts (the Arduino Serial Plotter's convention, and the built-in device's
// `T:..,V:..,S:..`): each declared key at most once, in any order.
import type {DeviceProfile} from '../device-profile.js';
import {quote} from './escape-bytes.js';
import {fail, readingFromTexts} from './field-values.js';
import type {TextParser} from './parse-result.js';

type PairsFormat = Extract<DeviceProfile['format'], {type: 'pairs'}>;

export function createPairsParser(
	profile: DeviceProfile,
	format: PairsFormat,
): TextParser {
	const split = partSplitter(format.separators);
	const assign = [...format.assign];
	const withoutAssign = `field without ${assign.map((char) => `'${char}'`).join(' or ')}`;
	const indexByKey = new Map(
		profile.fields.map((field, index) => [field.key, index]),
	);
	const count = profile.fields.length;

	return (text) => {
		const texts: Array<string | undefined> = Array.from({length: count});
		for (const part of split(text)) {
			const at = assignIndex(part, assign);
			if (at === -1) {
				return fail(`${withoutAssign}: ${quote(part)}`);
			}

			const key = part.slice(0, at);
			const index = indexByKey.get(key);
			if (index === undefined) {
				if (profile.unknownKeys === 'error') {
					return fail(`unknown key ${quote(key)}`);
				}

				continue;
			}

			if (texts[index] !== undefined) {
				return fail(`duplicate ${key}`);
			}

			texts[index] = part.slice(at + 1);
		}

		return readingFromTexts(profile, texts);
	};
}

/**
 * A line's parts. Without a space among the separators each separator character ends a
 * part (`a,,b` has an empty one); with one, the line's outer spaces are dropped, and a run of
 * spaces, alone or around another separator, is one separator (`a: 1` is not `a:1`: the
 * space ends the part).
 */
function partSplitter(separators: string): (text: string) => string[] {
	const others = [...separators].filter((char) => char !== ' ');
	const escaped = others
		.map((char) => String.raw`\u{${char.codePointAt(0)!.toString(16)}}`)
		.join('');
	if (!separators.includes(' ')) {
		if (others.length === 1) {
			return (text) => text.split(others[0]!);
		}

		const pattern = new RegExp(`[${escaped}]`, 'u');
		return (text) => text.split(pattern);
	}

	const pattern = new RegExp(
		others.length === 0 ? ' +' : ` *[${escaped}] *| +`,
		'u',
	);
	return (text) => text.replaceAll(/^ +| +$/g, '').split(pattern);
}

function assignIndex(part: string, assign: readonly string[]): number {
	if (assign.length === 1) {
		return part.indexOf(assign[0]!);
	}

	let first = -1;
	for (const char of assign) {
		const at = part.indexOf(char);
		if (at !== -1 && (first === -1 || at < first)) {
			first = at;
		}
	}

	return first;
}
