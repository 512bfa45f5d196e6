// A device profile inferred from lines of a device never seen: the format its lines share,
// the fields they hold (name, type, unit, range, optional) and, for a status field, its
// levels. Each format's reader proposes what the lines hold (inference/*-lines.ts); the
// first, in the order json, pairs, csv, regex, whose profile's own codec reads most of the
// lines wins. The lines it cannot read are damage (counted, a few shown); if no format
// reads most lines, the lines are no line protocol (a wrong baud rate, a binary stream).
import {compileCodec} from './codec.js';
import {escapeBytes} from './codec/escape-bytes.js';
import {
	deviceIssues,
	resolveDevice,
	type DeviceConfig,
	type FieldConfig,
} from './device-config.js';
import type {DeviceProfile, Reading} from './device-profile.js';
import {csvExtraction} from './inference/csv-lines.js';
import type {Cell, Column, Extraction} from './inference/extraction.js';
import {fieldNames} from './inference/field-names.js';
import {jsonExtraction} from './inference/json-lines.js';
import {countText, lineTexts, printableShare} from './inference/line-texts.js';
import {physicalRange} from './inference/number-range.js';
import {pairsExtraction} from './inference/pairs-lines.js';
import {regexExtraction} from './inference/regex-lines.js';
import {levelsOf} from './inference/status-words.js';

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
	/** Present in every matched line (else optional: true). */
	always: boolean;
	/** What the written section says beside the field: how its range was chosen, levels guessed. */
	notes: string[];
};

export type Inference =
	| {
			ok: true;
			profile: DeviceProfile;
			fields: InferredField[];
			total: number;
			matched: number;
			/** examples escaped for a terminal. */
			unmatched: {count: number; examples: string[]};
			/** The `device:` section the profile is resolved from, as config.yaml would hold it. */
			device: DeviceConfig;
			/** Keys the lines hold that became no field, and why. */
			skipped: Array<{key: string; why: string}>;
	  }
	| {ok: false; total: number; printableShare: number; reason: string};

// A key no more often than this share of the lines is left out (unknown keys are ignored).
const minKeyShare = 0.01;
// A field absent from at most this share of the lines is required: those lines are damage.
const maxAbsentShare = 0.02;
const maxStatusTexts = 16;
const maxStatusLength = 32;
const maxExamples = 5;
const maxExampleChars = 80;

/** lines: received lines, terminators removed (a raw.log's lines without their timestamps). */
export function inferProfile(lines: readonly Uint8Array[]): Inference {
	const texts = lineTexts(lines);
	const nonEmpty = lines.filter((line) => line.length > 0).length;
	const readers = [
		() => jsonExtraction(texts),
		() => pairsExtraction(texts),
		() => csvExtraction(texts),
		() => regexExtraction(texts),
	];
	for (const read of readers) {
		const extraction = read();
		if (extraction === undefined || !isMajority(fits(extraction), nonEmpty)) {
			continue;
		}

		const inference = inferFrom(extraction, lines);
		if (inference !== undefined && isMajority(inference.matched, nonEmpty)) {
			return inference;
		}
	}

	return {
		ok: false,
		total: lines.length,
		printableShare: printableShare(lines),
		reason: `no line-oriented protocol recognised in ${countText(lines.length)} ${lines.length === 1 ? 'line' : 'lines'}`,
	};
}

function isKeyed(extraction: Extraction): boolean {
	const {format} = extraction.format(new Map());
	return format === 'json' || format === 'pairs';
}

function isMajority(count: number, of: number): boolean {
	return count > 0 && count * 2 > of;
}

function fits(extraction: Extraction): number {
	return (
		extraction.rows.filter((row) => row !== undefined).length +
		extraction.headerLines
	);
}

type Kept = {
	column: Column;
	type: 'number' | 'status';
	config: Omit<FieldConfig, 'name' | 'key'>;
	notes: string[];
};

function inferFrom(
	extraction: Extraction,
	lines: readonly Uint8Array[],
): Extract<Inference, {ok: true}> | undefined {
	const rows = extraction.rows.filter((row) => row !== undefined);
	const kept: Kept[] = [];
	const skipped: Array<{key: string; why: string}> = [];
	for (const column of extraction.columns) {
		const cells = rows.flatMap((row) => {
			const cell = row.get(column.id);
			return cell === undefined ? [] : [cell];
		});
		const decided = decideField(column, cells, rows.length);
		if (typeof decided === 'string') {
			if (extraction.allColumns) {
				return undefined;
			}

			skipped.push({key: column.key ?? column.id, why: decided});
		} else {
			kept.push(decided);
		}
	}

	// Columns and fixed layouts are told by their numbers; only keys can name statuses alone.
	const keyed = isKeyed(extraction);
	if (
		kept.length === 0 ||
		(!keyed && !kept.some((field) => field.type === 'number'))
	) {
		return undefined;
	}

	const names = fieldNames(
		kept.map(({column, type}) => ({
			label: column.label ?? column.fallbackName,
			unit: column.unit,
			type,
		})),
	);
	const keys = new Map(
		kept.map(({column}, index) => [column.id, column.key ?? names[index]!]),
	);
	const device: DeviceConfig = {
		name: null,
		...extraction.format(keys),
		unknown_keys: 'ignore',
		fields: kept.map(({column, config}, index): FieldConfig => ({
			name: names[index]!,
			key: keys.get(column.id)!,
			...config,
		})),
	};
	if (deviceIssues(device).length > 0) {
		return undefined;
	}

	const profile = resolveDevice(device, {
		temperatureRangeC: [0, 0],
		voltageRangeV: [0, 0],
	});
	const read = readAll(profile, lines);
	if (read === undefined) {
		return undefined;
	}

	const fields = profile.fields.map((field, index): InferredField => {
		const values = read.readings.flatMap((reading) => {
			const value = reading.values[index];
			return value === undefined ? [] : [value];
		});
		const numbers = values.filter((value) => typeof value === 'number');
		return {
			name: field.name,
			key: field.key,
			type: field.type,
			unit: field.type === 'number' ? field.unit : '',
			...(field.type === 'number' && numbers.length > 0
				? {min: Math.min(...numbers), max: Math.max(...numbers)}
				: {}),
			...(field.type === 'status'
				? {levels: [...new Set(values.map(String))]}
				: {}),
			samples: values.length,
			always: values.length === read.readings.length,
			notes: kept[index]!.notes,
		};
	});
	return {
		ok: true,
		profile,
		fields,
		total: lines.length,
		matched: read.matched,
		unmatched: {count: lines.length - read.matched, examples: read.examples},
		device,
		skipped,
	};
}

/** What a place becomes: a field's declaration, or why it is none. */
function decideField(
	column: Column,
	cells: readonly Cell[],
	lineCount: number,
): Kept | string {
	const numbers = cells.flatMap((cell) =>
		cell.kind === 'number' ? [cell] : [],
	);
	const words = cells.flatMap((cell) =>
		cell.kind === 'text' ? [cell.text] : [],
	);
	if (
		cells.length <
		Math.min(lineCount, Math.max(2, Math.ceil(lineCount * minKeyShare)))
	) {
		return `in ${cells.length} of ${lineCount} lines only`;
	}

	const optional = lineCount - cells.length > lineCount * maxAbsentShare;
	const type =
		column.type ?? (numbers.length >= words.length ? 'number' : 'status');
	if (type === 'number') {
		if (numbers.length === 0) {
			return 'no number';
		}

		const values = numbers.map((cell) => cell.value);
		const {range, how} = physicalRange(values, column.unit);
		return {
			column,
			type,
			config: {
				...(column.unit === '' ? {} : {unit: column.unit}),
				range: [range[0], range[1]],
				decimals: Math.max(...numbers.map((cell) => cell.decimals)),
				...(optional ? {optional} : {}),
			},
			notes: [`range: ${how}`],
		};
	}

	const distinct = [...new Set(words)];
	const statusLike =
		distinct.length > 0 &&
		distinct.length <= maxStatusTexts &&
		(distinct.length <= 3 || distinct.length * 2 <= words.length) &&
		distinct.every(
			(text) =>
				text.length <= maxStatusLength &&
				text.trim() === text &&
				text !== '' &&
				!text.endsWith('_*'),
		);
	if (!statusLike) {
		return distinct.length > maxStatusTexts
			? `text of ${distinct.length}+ kinds, no number nor a status`
			: 'text that is no status';
	}

	const levels = levelsOf(distinct);
	const guessed = levels
		.filter((level) => level.guessed)
		.map((level) => level.value);
	return {
		column,
		type,
		config: {
			type: 'status',
			...(optional ? {optional} : {}),
			levels: Object.fromEntries(
				levels.map((level) => [
					level.match === 'prefix' ? `${level.value}_*` : level.value,
					level.level,
				]),
			),
		},
		notes:
			guessed.length === 0
				? []
				: [
						`${guessed.join(', ')}: no level recognised in the word, NORMAL until you set one`,
					],
	};
}

/** The lines as the profile's own codec reads them, in order (a CSV header sets columns). */
function readAll(
	profile: DeviceProfile,
	lines: readonly Uint8Array[],
): {readings: Reading[]; matched: number; examples: string[]} | undefined {
	const longest = Math.max(0, ...lines.map((line) => line.length));
	let codec;
	try {
		codec = compileCodec(profile, Math.max(64, longest + 1));
	} catch {
		return undefined;
	}

	const readings: Reading[] = [];
	const examples = new Set<string>();
	let matched = 0;
	for (const line of lines) {
		const result = codec.parse(line);
		if (result.ok === true) {
			readings.push(result.reading);
		}

		if (result.ok === false) {
			if (line.length > 0 && examples.size < maxExamples) {
				examples.add(example(line));
			}
		} else {
			matched++;
		}
	}

	return {readings, matched, examples: [...examples]};
}

function example(line: Uint8Array): string {
	return line.length > maxExampleChars
		? `${escapeBytes(line.subarray(0, maxExampleChars))}…`
		: escapeBytes(line);
}
