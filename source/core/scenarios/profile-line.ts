// How a declared device prints a line: its fields' values (or a stand-in for one) in its
// format. The generated tour prints through this, so its lines look like the device's.
import type {DeviceProfile, Field} from '../device-profile.js';

/**
 * What goes where a field's value goes: its text, or undefined to leave the field out of
 * the line (a missing field). Texts are printed as given: a number is already fixed to its
 * decimals, and a stand-in such as `abc` goes into a JSON object as a bare token.
 */
export type FieldTexts = ReadonlyArray<string | undefined>;

/** A number with the decimals its field declares, as the device prints it. */
export function formatNumber(value: number, decimals: number): string {
	const text = value.toFixed(decimals);
	// -0.00 is what a device's printf would show, but reads as a sign error.
	return /^-0(?:\.0*)?$/v.test(text) ? text.slice(1) : text;
}

/** A line printer for a profile: one call per line, with a text per field. */
export type LinePrinter = {
	/** The header line a CSV device prints at start, if it prints one. */
	readonly header: string | undefined;
	/** The line, or for a regex device cut just before a field left out. */
	line(texts: FieldTexts): string;
};

/** A regex device's line without a template the tour can print from. */
export class TemplateError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'TemplateError';
	}
}

export function linePrinter(profile: DeviceProfile): LinePrinter {
	const {format, fields} = profile;
	switch (format.type) {
		case 'pairs': {
			const assign = format.assign[0] ?? ':';
			const separator = format.separators[0] ?? ',';
			return {
				header: undefined,
				line: (texts) =>
					fields
						.flatMap((field, index) => {
							const text = texts[index];
							return text === undefined ? [] : [`${field.key}${assign}${text}`];
						})
						.join(separator),
			};
		}

		case 'csv': {
			return csvPrinter(fields, format.separator, format.header);
		}

		case 'json': {
			return {header: undefined, line: (texts) => jsonLine(fields, texts)};
		}

		case 'regex': {
			return templatePrinter(
				fields,
				profile.template ?? templateFromPattern(format.pattern),
			);
		}
	}
}

/**
 * Columns in the fields' order, named by their keys, when the device prints a header;
 * without one a key is a 1-based column, and a column no field declares holds `0`.
 */
function csvPrinter(
	fields: readonly Field[],
	separator: string,
	header: boolean,
): LinePrinter {
	if (header) {
		return {
			header: fields.map((field) => field.key).join(separator),
			line: (texts) =>
				fields.map((_field, index) => texts[index] ?? '').join(separator),
		};
	}

	const columns = Math.max(
		0,
		...fields.map((field) => Number.parseInt(field.key, 10) || 0),
	);
	const fieldAt = new Map(
		fields.map((field, index) => [Number.parseInt(field.key, 10), index]),
	);
	return {
		header: undefined,
		line(texts) {
			const cells: string[] = [];
			for (let column = 1; column <= columns; column++) {
				const index = fieldAt.get(column);
				cells.push(index === undefined ? '0' : (texts[index] ?? ''));
			}

			// A missing field at the end of the line is a shorter line, as a cut-off device prints it.
			while (cells.length > 0 && cells.at(-1) === '') {
				cells.pop();
			}

			return cells.join(separator);
		},
	};
}

type JsonTree = Map<string, JsonTree | string>;

/** One object; a dotted key (`env.t`) nests. Status texts are JSON strings, numbers bare. */
function jsonLine(fields: readonly Field[], texts: FieldTexts): string {
	const root: JsonTree = new Map();
	for (const [index, field] of fields.entries()) {
		const text = texts[index];
		if (text === undefined) {
			continue;
		}

		const path = field.key.split('.');
		let node = root;
		for (const part of path.slice(0, -1)) {
			let child = node.get(part);
			if (typeof child !== 'object') {
				child = new Map();
				node.set(part, child);
			}

			node = child;
		}

		node.set(
			path.at(-1)!,
			field.type === 'status' ? JSON.stringify(text) : text,
		);
	}

	const print = (tree: JsonTree): string =>
		`{${[...tree]
			.map(
				([key, value]) =>
					`${JSON.stringify(key)}:${typeof value === 'string' ? value : print(value)}`,
			)
			.join(',')}}`;
	return print(root);
}

// `{key}`, or `{key*1.8+32}`: the field's value scaled, for a device that prints a value
// twice in two units (the DHT example prints °C and °F).
const placeholder =
	/\{(?<key>[^\{\}*+\-]+)(?:\*(?<scale>-?\d+(?:\.\d+)?))?(?:(?<sign>[+\-])(?<offset>\d+(?:\.\d+)?))?\}/gv;

type TemplatePart =
	| {kind: 'text'; text: string}
	| {kind: 'field'; index: number; scale: number; offset: number};

/**
 * A regex device prints its template with each `{key}` replaced by that field's value.
 * A field left out cuts the line just before its first placeholder.
 */
function templatePrinter(
	fields: readonly Field[],
	template: string,
): LinePrinter {
	const parts: TemplatePart[] = [];
	let last = 0;
	for (const match of template.matchAll(placeholder)) {
		const {key, scale, sign, offset} = match.groups!;
		const index = fields.findIndex((field) => field.key === key);
		if (index === -1) {
			throw new TemplateError(
				`the template's {${key!}} is no field's key (${fields.map((field) => field.key).join(', ')})`,
			);
		}

		if (fields[index]!.type === 'status' && (scale ?? offset) !== undefined) {
			throw new TemplateError(`{${match[0]}}: a status field cannot be scaled`);
		}

		parts.push(
			{kind: 'text', text: template.slice(last, match.index)},
			{
				kind: 'field',
				index,
				scale: scale === undefined ? 1 : Number(scale),
				offset:
					offset === undefined ? 0 : Number(offset) * (sign === '-' ? -1 : 1),
			},
		);
		last = match.index + match[0].length;
	}

	parts.push({kind: 'text', text: template.slice(last)});
	for (const [index, field] of fields.entries()) {
		if (
			!field.optional &&
			!parts.some((part) => part.kind === 'field' && part.index === index)
		) {
			throw new TemplateError(
				`the template has no {${field.key}} for the field ${field.name}`,
			);
		}
	}

	return {
		header: undefined,
		line(texts) {
			let line = '';
			for (const part of parts) {
				if (part.kind === 'text') {
					line += part.text;
					continue;
				}

				const text = texts[part.index];
				if (text === undefined) {
					return line;
				}

				const field = fields[part.index]!;
				line +=
					field.type === 'number' && (part.scale !== 1 || part.offset !== 0)
						? scaled(text, part, field.decimals)
						: text;
			}

			return line;
		},
	};
}

/** A number's text scaled; a stand-in that is no number is printed as it is. */
function scaled(
	text: string,
	part: {scale: number; offset: number},
	decimals: number,
): string {
	const value = Number(text);
	return text.trim() === '' || !Number.isFinite(value)
		? text
		: formatNumber(value * part.scale + part.offset, decimals);
}

/**
 * A template read off a simple pattern: anchors, literal text (escaped or not), whitespace
 * runs (`\s+`, `\s*`, ` +`: printed as one space) and named groups (printed as `{name}`).
 * Anything else (classes, alternation, quantified text, unnamed groups) has no single line
 * to print: the device then declares `template:`.
 */
export function templateFromPattern(pattern: string): string {
	const refuse = (why: string): never => {
		throw new TemplateError(
			`cannot print a line from the pattern (${why}): declare the device's template, e.g. template: "Humidity: {humidity}%"`,
		);
	};

	let template = '';
	let index = 0;
	const quantifier = () => /[*+?\{]/v.test(pattern[index] ?? '');
	while (index < pattern.length) {
		const char = pattern[index]!;
		if (
			(char === '^' && index === 0) ||
			(char === '$' && index === pattern.length - 1)
		) {
			index++;
			continue;
		}

		if (char === '(') {
			const name = /^\(\?<(?<name>[A-Za-z_]\w*)>/v.exec(pattern.slice(index))
				?.groups?.['name'];
			if (name === undefined) {
				return refuse('a group that is not a named one');
			}

			template += `{${name}}`;
			index = groupEnd(pattern, index, refuse) + 1;
			if (quantifier()) {
				refuse(`a quantified group at ${index}`);
			}

			continue;
		}

		if (char === '\\') {
			const next = pattern[index + 1] ?? '';
			index += 2;
			if (next === 's') {
				if (quantifier() && pattern[index] !== '?') {
					index++;
				}

				template += ' ';
				continue;
			}

			if (next === 't') {
				template += '\t';
			} else if (/[\p{P}\p{S}]/v.test(next)) {
				template += next;
			} else {
				refuse(`\\${next}`);
			}

			if (quantifier()) {
				refuse(`a quantifier at ${index}`);
			}

			continue;
		}

		if (
			char === ' ' &&
			(pattern[index + 1] === '+' || pattern[index + 1] === '*')
		) {
			template += ' ';
			index += 2;
			continue;
		}

		if ('.[]{}()*+?|^$'.includes(char)) {
			refuse(`'${char}' at ${index}`);
		}

		template += char;
		index++;
		if (quantifier()) {
			refuse(`a quantifier at ${index}`);
		}
	}

	return template;
}

/** The index of the `)` that closes the group opening at start. */
function groupEnd(
	pattern: string,
	start: number,
	refuse: (why: string) => never,
): number {
	let depth = 0;
	let inClass = false;
	for (let index = start; index < pattern.length; index++) {
		const char = pattern[index];
		if (char === '\\') {
			index++;
		} else if (inClass) {
			inClass = char !== ']';
		} else if (char === '[') {
			inClass = true;
		} else if (char === '(') {
			depth++;
		} else if (char === ')' && --depth === 0) {
			return index;
		}
	}

	return refuse('an unclosed group');
}
