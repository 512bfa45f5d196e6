// One JSON object per line, as an ESP32 with ArduinoJson prints: `{"t":23.00,"env":{"h":45}}`.
// A field's key is a dotted path of member names (`env.h`). A number field takes a JSON
// number only: a string, even `"23.0"`, is malformed, so that a device printing text where
// it printed numbers is noticed. A status field takes a string. `null` is an absent value,
// as ArduinoJson prints a NaN (a sensor read that failed). Of a member given twice, JSON.parse
// keeps the last. The line's size is already bounded by serial.max_line_bytes.
import type {DeviceProfile} from '../device-profile.js';
import {quote} from './escape-bytes.js';
import {fail, missingReason, readingFromTexts} from './field-values.js';
import type {TextParser} from './parse-result.js';

export function createJsonParser(profile: DeviceProfile): TextParser {
	const paths = profile.fields.map((field) => field.key.split('.'));
	const keys = new Set(profile.fields.map((field) => field.key));
	// Every path that leads to a key, for telling unknown members.
	const leading = new Set(
		paths.flatMap((path) =>
			path.slice(0, -1).map((_, end) => path.slice(0, end + 1).join('.')),
		),
	);

	/** The first member path no field declares, or undefined. */
	const unknownMember = (
		object: object,
		prefix: string,
	): string | undefined => {
		for (const [name, value] of Object.entries(object)) {
			const path = prefix === '' ? name : `${prefix}.${name}`;
			if (keys.has(path)) {
				continue;
			}

			if (!leading.has(path) || !isObject(value)) {
				return path;
			}

			const inner = unknownMember(value, path);
			if (inner !== undefined) {
				return inner;
			}
		}

		return undefined;
	};

	return (text) => {
		let parsed: unknown;
		try {
			parsed = JSON.parse(text);
		} catch {
			return fail(`line is not valid JSON: ${quote(text)}`);
		}

		if (!isObject(parsed)) {
			return fail(`line is not a JSON object: ${quote(text)}`);
		}

		if (profile.unknownKeys === 'error') {
			const unknown = unknownMember(parsed, '');
			if (unknown !== undefined) {
				return fail(`unknown key ${quote(unknown)}`);
			}
		}

		const found = paths.map((path) => {
			const value = member(parsed, path);
			return value === null ? undefined : value;
		});
		const missing = missingReason(profile, found);
		if (missing !== undefined) {
			return fail(missing);
		}

		const texts: Array<string | number | undefined> = [];
		const {fields} = profile;
		const last = fields.length - 1;
		for (let index = 0; index <= last; index++) {
			const field = fields[index]!;
			const value = found[index];
			if (
				value === undefined ||
				(field.type === 'number' && typeof value === 'number') ||
				(field.type === 'status' && typeof value === 'string')
			) {
				texts.push(value);
			} else {
				const kind = Array.isArray(value) ? 'an array' : `a ${typeof value}`;
				return fail(
					`${field.key} is ${kind}, not a ${field.type === 'number' ? 'number' : 'string'}: ${quote(JSON.stringify(value))}`,
				);
			}
		}

		return readingFromTexts(profile, texts);
	};
}

function member(object: object, path: readonly string[]): unknown {
	let value: unknown = object;
	for (const name of path) {
		// Own members only: `constructor` or `__proto__` must not reach Object.prototype.
		if (!isObject(value) || !Object.hasOwn(value, name)) {
			return undefined;
		}

		// An own member of JSON.parse's object is a data property (no getter): read directly,
		// without the descriptor object getOwnPropertyDescriptor allocates per read.
		value = Reflect.get(value, name) as unknown;
	}

	return value;
}

function isObject(value: unknown): value is object {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
