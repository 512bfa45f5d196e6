// Fixed-layout text (the DHT library's `Humidity: 45.00%  Temperature: 23.00°C 73.40°F`):
// each line cut into numbers, words and other text. The lines that share the most common
// layout (the same text around the same places) give the pattern: one named group per
// number, a word that varies from line to line a status, the text around kept literal and
// escaped, a run of whitespace `\s+` (`\s*` where some lines have none).
import type {LineText} from './line-texts.js';
import {
	decimalsOf,
	type Cell,
	type Column,
	type Extraction,
} from './extraction.js';

type Token =
	| {kind: 'number'; text: string}
	| {kind: 'word'; text: string}
	| {kind: 'other'; text: string};

type Layout = {
	tokens: Token[];
	/** Whether whitespace comes before each token, and (last) after the last one. */
	gaps: boolean[];
};

// Units a device prints right after a number, longest first where one starts another.
const units = [
	'°C',
	'°F',
	'℃',
	'℉',
	'%RH',
	'%',
	'°',
	'mV',
	'kV',
	'V',
	'mA',
	'µA',
	'uA',
	'A',
	'kPa',
	'hPa',
	'Pa',
	'mbar',
	'bar',
	'psi',
	'kW',
	'mW',
	'W',
	'kHz',
	'MHz',
	'Hz',
	'ppm',
	'ppb',
	'lux',
	'lx',
	'rpm',
	'dBm',
	'dB',
	'mm',
	'cm',
	'km',
	'm/s',
	'ms',
	'µs',
	'us',
	'm',
	's',
	'kg',
	'g',
	'Ω',
	'ohm',
	'K',
	'C',
	'F',
];
const unitPattern = new RegExp(
	`^ ?(?<unit>${units.map((unit) => escapeRegex(unit)).join('|')})(?![A-Za-z])`,
);
// The most words a label is taken from (`Heat index`).
const maxLabelWords = 3;
// More texts than this at one place is free text, not a status.
const maxStatusTexts = 16;

export function regexExtraction(
	texts: readonly LineText[],
): Extraction | undefined {
	const layouts = texts.map((text) =>
		text === undefined || text.trim() === '' ? undefined : layoutOf(text),
	);
	const groups = new Map<string, number>();
	for (const layout of layouts) {
		if (layout !== undefined) {
			const key = shapeKey(layout);
			groups.set(key, (groups.get(key) ?? 0) + 1);
		}
	}

	const [shape] = [...groups].toSorted((a, b) => b[1] - a[1])[0] ?? [];
	if (shape === undefined) {
		return undefined;
	}

	const members = layouts.map((layout) =>
		layout !== undefined && shapeKey(layout) === shape ? layout : undefined,
	);
	const first = members.find((layout) => layout !== undefined)!;
	const {tokens} = first;
	// Each token's place: a number, a word that varies (a status), or literal text.
	const varying = tokens.map((token, index) => {
		if (token.kind === 'number') {
			return 'number';
		}

		if (token.kind === 'word') {
			const words = new Set<string>();
			for (const layout of members) {
				if (layout !== undefined) {
					words.add(layout.tokens[index]!.text);
				}
			}

			if (words.size > maxStatusTexts) {
				return 'free';
			}

			return words.size > 1 ? 'status' : 'literal';
		}

		return 'literal';
	});
	if (varying.includes('free') || !varying.includes('number')) {
		return undefined;
	}

	const gaps = first.gaps.map((_, index) => {
		let some = false;
		let all = true;
		for (const layout of members) {
			if (layout !== undefined) {
				some ||= layout.gaps[index]!;
				all &&= layout.gaps[index]!;
			}
		}

		return all ? String.raw`\s+` : some ? String.raw`\s*` : '';
	});

	const columns = placesOf(first, varying);
	const rows = members.map((layout) => {
		if (layout === undefined) {
			return undefined;
		}

		const row = new Map<string, Cell>();
		for (const column of columns) {
			const token = layout.tokens[column.index]!;
			row.set(
				column.id,
				token.kind === 'number'
					? {
							kind: 'number',
							value: Number(token.text),
							decimals: decimalsOf(token.text),
						}
					: {kind: 'text', text: token.text},
			);
		}

		return row;
	});

	return {
		columns,
		rows,
		headerLines: 0,
		allColumns: true,
		format(keys) {
			let pattern = '^';
			for (const [index, token] of tokens.entries()) {
				pattern += gaps[index]!;
				const place = varying[index];
				if (place === 'number') {
					pattern += String.raw`(?<${keys.get(String(index))!}>[-+]?\d+(?:\.\d+)?)`;
				} else if (place === 'status') {
					pattern += `(?<${keys.get(String(index))!}>[A-Za-z_][A-Za-z0-9_]*)`;
				} else {
					pattern += escapeRegex(token.text);
				}
			}

			return {format: 'regex', pattern: `${pattern}${gaps.at(-1)!}$`};
		},
	};
}

/** The line cut into tokens; a sign belongs to a number only where no word or number precedes it. */
function layoutOf(text: string): Layout {
	const tokens: Token[] = [];
	const gaps: boolean[] = [];
	let gap = false;
	let index = 0;
	const isDigit = (char: string | undefined) =>
		char !== undefined && char >= '0' && char <= '9';
	const isWordChar = (char: string | undefined) =>
		char !== undefined && /\w/.test(char);
	while (index < text.length) {
		const char = text[index]!;
		if (/\s/.test(char)) {
			gap = true;
			index++;
			continue;
		}

		const previous = text[index - 1];
		const signed =
			(char === '-' || char === '+') &&
			isDigit(text[index + 1]) &&
			!isWordChar(previous) &&
			previous !== '.';
		let token: Token;
		if (isDigit(char) || signed) {
			const match = /^[-+]?\d+(?:\.\d+)?/.exec(text.slice(index))!;
			token = {kind: 'number', text: match[0]};
		} else if (/[A-Za-z_]/.test(char)) {
			const match = /^[A-Za-z_]\w*/.exec(text.slice(index))!;
			token = {kind: 'word', text: match[0]};
		} else {
			// Other text: up to a space, a letter, a digit, or a sign that starts a number.
			let end = index + 1;
			while (
				end < text.length &&
				!/[\s\w]/.test(text[end]!) &&
				!((text[end] === '-' || text[end] === '+') && isDigit(text[end + 1]))
			) {
				end++;
			}

			token = {kind: 'other', text: text.slice(index, end)};
		}

		tokens.push(token);
		gaps.push(gap);
		gap = false;
		index += token.text.length;
	}

	gaps.push(gap);
	return {tokens, gaps};
}

/** Lines of one shape have the same tokens but numbers and words, and no other text. */
function shapeKey(layout: Layout): string {
	return layout.tokens
		.map((token) =>
			token.kind === 'number'
				? '\u0001'
				: token.kind === 'word'
					? '\u0002'
					: token.text,
		)
		.join('\u0000');
}

type Place = Column & {index: number};

/** The varying places, each with what the text before it calls it and the unit after it. */
function placesOf(layout: Layout, varying: readonly string[]): Place[] {
	const {tokens, gaps} = layout;
	// The line's text from one token to another, a run of whitespace as one space.
	const textOf = (from: number, to: number) =>
		tokens
			.slice(from, to)
			.map((token, index) =>
				index > 0 && gaps[from + index] ? ` ${token.text}` : token.text,
			)
			.join('');
	const places: Place[] = [];
	let previous: Place | undefined;
	let start = 0;
	for (const index of tokens.keys()) {
		const kind = varying[index];
		if (kind !== 'number' && kind !== 'status') {
			continue;
		}

		let before = textOf(start, index);
		const unitBefore = previous?.unit;
		if (unitBefore && before.replace(/^ /, '').startsWith(unitBefore)) {
			before = before.replace(/^ /, '').slice(unitBefore.length);
		}

		const label = labelOf(before);
		const after = `${gaps[index + 1] ? ' ' : ''}${textOf(index + 1, tokens.length)}`;
		const unit =
			kind === 'number'
				? (unitPattern.exec(after)?.groups?.['unit'] ?? '')
				: '';
		const place: Place = {
			index,
			id: String(index),
			key: undefined,
			label,
			unit,
			type: kind === 'number' ? 'number' : 'status',
			// `23.00°C 73.40°F`: the second is the first's label in its own unit.
			fallbackName:
				label === undefined && previous?.label !== undefined && unit !== ''
					? `${previous.label} ${unitWord(unit)}`
					: undefined,
		};
		places.push(place);
		previous = place;
		start = index + 1;
	}

	return places;
}

/** The words just before a value (`Heat index: ` -> `Heat index`), if any. */
function labelOf(before: string): string | undefined {
	const match = /(?<label>[A-Za-z_]\w*(?: [A-Za-z_]\w*)*)[\s:=([#-]*$/.exec(
		before,
	);
	const words = match?.groups?.['label']?.split(' ');
	return words === undefined
		? undefined
		: words.slice(-maxLabelWords).join(' ');
}

function unitWord(unit: string): string {
	const words: Record<string, string> = {
		'°C': 'c',
		'°F': 'f',
		'℃': 'c',
		'℉': 'f',
		'%': 'pct',
		'%RH': 'pct',
		'°': 'deg',
		Ω: 'ohm',
		µA: 'ua',
		µs: 'us',
		'm/s': 'mps',
	};
	return words[unit] ?? unit.toLowerCase();
}

export function escapeRegex(text: string): string {
	return text.replaceAll(/[\\^$.|?*+()[\]{}\-/]/g, String.raw`\$&`);
}
