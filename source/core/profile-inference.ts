// What device sent these lines: the format, the fields, their units and observed ranges,
// read off the lines themselves. This reading knows pairs (`label:value`, `label=value`)
// and one JSON object per line (nested objects as dotted keys).
import type {DeviceProfile, Field, StatusMatch} from './device-profile.js';
import {escapeBytes} from './codec/escape-bytes.js';
import type {StatusLevel} from './protocol.js';

export type InferredField = {
	name: string;
	key: string;
	type: 'number' | 'status';
	/** '' when the line shows none. */
	unit: string;
	/** Numbers: the observed range. */
	min?: number;
	max?: number;
	/** Status: the values seen. */
	levels?: string[];
	/** Lines it was present in. */
	samples: number;
	/** Present in every matched line (else optional). */
	always: boolean;
};

export type Inference =
	| {
			ok: true;
			profile: DeviceProfile;
			fields: InferredField[];
			total: number;
			matched: number;
			/** Examples escaped for a terminal. */
			unmatched: {count: number; examples: string[]};
	  }
	| {ok: false; total: number; printableShare: number; reason: string};

type Values = Map<string, string>;
type Reader = (text: string) => Values | undefined;

const numberWithUnit = /^(-?\d+(?:\.\d+)?)\s?(°[CF]|%|[a-zA-Z]{1,4})?$/;
const maxExamples = 5;

const readPairs: Reader = (text) => {
	const values: Values = new Map();
	for (const part of text.split(/[,;\t ]+/)) {
		if (part === '') {
			continue;
		}

		const match = /^([A-Za-z_][\w.-]*)[:=](.+)$/.exec(part);
		if (!match) {
			return undefined;
		}

		values.set(match[1]!, match[2]!);
	}

	return values.size > 0 ? values : undefined;
};

const readJson: Reader = (text) => {
	if (!text.startsWith('{')) {
		return undefined;
	}

	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch {
		return undefined;
	}

	const values: Values = new Map();
	const walk = (object: unknown, prefix: string) => {
		if (typeof object !== 'object' || object === null) {
			return;
		}

		for (const [key, value] of Object.entries(object)) {
			const path = `${prefix}${key}`;
			if (typeof value === 'number' || typeof value === 'string') {
				values.set(path, String(value));
			} else if (!Array.isArray(value)) {
				walk(value, `${path}.`);
			}
		}
	};

	walk(data, '');
	return values.size > 0 ? values : undefined;
};

const formats = [
	{type: 'json', read: readJson},
	{type: 'pairs', read: readPairs},
] as const;

/** lines: received lines, terminators removed (a raw.log's lines without their timestamps). */
export function inferProfile(lines: readonly Uint8Array[]): Inference {
	const decoder = new TextDecoder();
	const texts = lines.map((bytes) => decoder.decode(bytes).trim());
	const best = formats
		.map((format) => ({
			format,
			read: texts.map((text) => format.read(text)),
		}))
		.map((candidate) => ({
			...candidate,
			matched: candidate.read.filter(Boolean).length,
		}))
		.toSorted((a, b) => b.matched - a.matched)[0]!;
	const total = lines.length;
	if (best.matched === 0 || best.matched < total / 2) {
		return {
			ok: false,
			total,
			printableShare: printableShare(lines),
			reason: `no line-oriented protocol recognised in ${total.toLocaleString('en-US')} lines`,
		};
	}

	const fields = inferFields(
		best.read.filter((values) => values !== undefined),
	);
	// A line whose number field holds no number (a damaged line) fits nothing.
	const fits = best.read.map(
		(values) =>
			values !== undefined &&
			fields.every(
				(field) =>
					field.type === 'status' ||
					!values.has(field.key) ||
					numberWithUnit.test(values.get(field.key)!),
			),
	);
	const matched = fits.filter(Boolean).length;
	const examples = lines
		.filter((_bytes, index) => !fits[index])
		.slice(0, maxExamples)
		.map((bytes) => escapeBytes(bytes));
	return {
		ok: true,
		profile: {
			name: 'device',
			builtin: false,
			format:
				best.format.type === 'json'
					? {type: 'json'}
					: {type: 'pairs', assign: ':=', separators: ', ;\t'},
			unknownKeys: 'ignore',
			fields: fields.map((field) => profileField(field)),
		},
		fields,
		total,
		matched,
		unmatched: {count: total - matched, examples},
	};
}

function inferFields(lines: readonly Values[]): InferredField[] {
	const keys = new Map<string, string[]>();
	for (const values of lines) {
		for (const [key, value] of values) {
			const seen = keys.get(key) ?? [];
			seen.push(value);
			keys.set(key, seen);
		}
	}

	const names = new Set<string>();
	return [...keys].map(([key, values]) => {
		const name = uniqueName(fieldName(key), names);
		const numbers = values.map((value) => numberWithUnit.exec(value));
		const base = {
			name,
			key,
			samples: values.length,
			// A field missing from a few lines is missing from damaged ones.
			always: values.length >= lines.length * 0.95,
		};
		const parsed = numbers.flatMap((match) =>
			match ? [Number(match[1])] : [],
		);
		// Mostly numbers: a number field, and its few other values damaged lines.
		if (parsed.length >= values.length * 0.8) {
			return {
				...base,
				type: 'number',
				unit: numbers.find(Boolean)?.[2] ?? '',
				min: Math.min(...parsed),
				max: Math.max(...parsed),
			};
		}

		return {...base, type: 'status', unit: '', levels: [...new Set(values)]};
	});
}

function fieldName(key: string): string {
	const name = key
		.toLowerCase()
		.replaceAll(/[^a-z\d]+/g, '_')
		.replaceAll(/^_+|_+$/g, '');
	const named = /^[a-z]/.test(name) ? name : `field_${name}`;
	return named === 'timestamp' || named === 'raw_line'
		? `${named}_value`
		: named;
}

function uniqueName(name: string, taken: Set<string>): string {
	let unique = name;
	for (let n = 2; taken.has(unique); n++) {
		unique = `${name}_${n}`;
	}

	taken.add(unique);
	return unique;
}

function levelOf(value: string): StatusLevel {
	const word = value.toUpperCase();
	if (/^(OK|NORMAL|GOOD|IDLE|RUN)/.test(word)) {
		return 'NORMAL';
	}

	if (/^(WARN|HOT|HIGH|LOW)/.test(word)) {
		return 'WARNING';
	}

	if (/^(CRIT|FAULT|ERR|FAIL|ALARM)/.test(word)) {
		return 'CRITICAL';
	}

	return /^(OFF|DOWN|LOST)/.test(word) ? 'OFFLINE' : 'NORMAL';
}

function profileField(field: InferredField): Field {
	const label = field.name.charAt(0).toUpperCase() + field.name.slice(1);
	if (field.type === 'status') {
		return {
			type: 'status',
			name: field.name,
			key: field.key,
			label,
			optional: !field.always,
			levels: (field.levels ?? []).map((value): StatusMatch => ({
				match: 'exact',
				value,
				level: levelOf(value),
			})),
		};
	}

	return {
		type: 'number',
		name: field.name,
		key: field.key,
		label,
		unit: field.unit,
		range: [-1_000_000, 1_000_000],
		decimals: 2,
		optional: !field.always,
		metric: undefined,
	};
}

function printableShare(lines: readonly Uint8Array[]): number {
	let printable = 0;
	let all = 0;
	for (const bytes of lines) {
		for (const byte of bytes) {
			all++;
			if ((byte >= 0x20 && byte < 0x7f) || byte === 0x09) {
				printable++;
			}
		}
	}

	return all === 0 ? 0 : printable / all;
}
