// What a device sends, as data: the format of its lines and the fields a line holds. The
// parser (codec), the CSV, the detector's rules, the screen, the metrics and the emulator
// all follow a profile, so a new device needs a declaration in config.yaml, not code. The
// built-in profile is the T/V/S device (`T:<°C>,V:<volts>,S:<LEVEL[_REASON]>`).
import type {StatusLevel} from './protocol.js';

/** A measured value: a finite number in a physical range. */
export type NumberField = {
	readonly type: 'number';
	/** The field's name: a CSV column, a metric's and an incident type's base (`[a-z][a-z\d_]*`). */
	readonly name: string;
	/**
	 * Where the line holds it: the label of a pair (`temp` in `temp:23.4`), a dotted path
	 * in a JSON object (`env.t`), a column of a CSV line (its header name, or its 1-based
	 * position as a string), a named group of a regex.
	 */
	readonly key: string;
	/** How people call it: descriptions and the screen ("Temperature"). */
	readonly label: string;
	/** Printed right after a value ("°C", "%", "V"); "" for none. */
	readonly unit: string;
	/** The physical range: a value beyond it makes the line malformed, not a measurement. */
	readonly range: readonly [number, number];
	/** Decimals a value shows with in descriptions and on screen. */
	readonly decimals: number;
	/** Absent from a line: no reading of it, not a parse error. */
	readonly optional: boolean;
	/** The Prometheus gauge's name, when the field declares one (else derived from name and unit). */
	readonly metric: string | undefined;
};

/** How a status field's text maps to a level. */
export type StatusMatch = {
	/** `exact`: the whole text; `prefix`: the text, or the text then `_` and a reason (`WARNING_TEMP`). */
	readonly match: 'exact' | 'prefix';
	readonly value: string;
	readonly level: StatusLevel;
};

/** The device's own view of its state: a text that maps to a level. */
export type StatusField = {
	readonly type: 'status';
	readonly name: string;
	readonly key: string;
	readonly label: string;
	readonly optional: boolean;
	/** Tried in order; a text that matches none makes the line malformed. */
	readonly levels: readonly StatusMatch[];
};

export type Field = NumberField | StatusField;

export type LineFormat =
	| {
			/** `label:value` / `label=value` parts (the Arduino Serial Plotter's convention). */
			readonly type: 'pairs';
			/** Characters that join a label and its value. */
			readonly assign: string;
			/** Characters that separate parts; a run of spaces counts as one separator. */
			readonly separators: string;
	  }
	| {
			/** Positional columns. */
			readonly type: 'csv';
			readonly separator: ',' | ';' | '\t';
			/** The device prints a header line naming its columns; fields are found by it. */
			readonly header: boolean;
	  }
	| {readonly type: 'json'}
	| {
			/** Fixed-layout text: a pattern whose named groups are the fields' keys. */
			readonly type: 'regex';
			readonly pattern: string;
	  };

export type DeviceProfile = {
	readonly name: string;
	/** The T/V/S device that needs no declaration: its outputs are fixed byte for byte. */
	readonly builtin: boolean;
	readonly format: LineFormat;
	readonly fields: readonly Field[];
	/** A key no field declares: skipped, or the line is malformed. */
	readonly unknownKeys: 'ignore' | 'error';
	/**
	 * How the emulator prints a line of a regex device: text with `{key}` where a field's value
	 * goes (`{key*1.8+32}` scales it). Left out, it is read off the pattern when the pattern is
	 * simple enough. Not part of the shape: it says nothing about the lines the monitor reads.
	 */
	readonly template?: string | undefined;
};

/** One value per field of the profile, in its order; undefined where an optional field was absent. */
export type FieldValue = number | string | undefined;

export type Reading = {
	/** Index-aligned with the profile's fields: a number for a number field, the device's text for a status field. */
	readonly values: FieldValue[];
	/** The device's own level: the worst of its status fields' levels; NORMAL with none. */
	readonly level: StatusLevel;
};

/** The limits of the built-in device's values, from config.yaml's `protocol` section. */
export type BuiltinRanges = {
	readonly temperatureRangeC: readonly [number, number];
	readonly voltageRangeV: readonly [number, number];
};

const builtinLevels: readonly StatusMatch[] = (
	['NORMAL', 'WARNING', 'CRITICAL', 'OFFLINE'] as const
).map((level) => ({match: 'prefix', value: level, level}));

/** The T/V/S device: every key once, in any order, separated by commas. */
export function builtinProfile(ranges: BuiltinRanges): DeviceProfile {
	return {
		name: 'serialwatch',
		builtin: true,
		format: {type: 'pairs', assign: ':', separators: ','},
		unknownKeys: 'error',
		fields: [
			{
				type: 'number',
				name: 'temperature',
				key: 'T',
				label: 'Temperature',
				unit: '°C',
				range: ranges.temperatureRangeC,
				decimals: 2,
				optional: false,
				metric: undefined,
			},
			{
				type: 'number',
				name: 'voltage',
				key: 'V',
				label: 'Voltage',
				unit: 'V',
				range: ranges.voltageRangeV,
				decimals: 2,
				optional: false,
				metric: undefined,
			},
			{
				type: 'status',
				name: 'status',
				key: 'S',
				label: 'Status',
				optional: false,
				levels: builtinLevels,
			},
		],
	};
}

/** The index of the field called `name`, or -1. */
export function fieldIndex(profile: DeviceProfile, name: string): number {
	return profile.fields.findIndex((field) => field.name === name);
}

/** The numeric fields with their indexes in a reading's values. */
export function numberFields(
	profile: DeviceProfile,
): Array<{field: NumberField; index: number}> {
	const found: Array<{field: NumberField; index: number}> = [];
	for (const [index, field] of profile.fields.entries()) {
		if (field.type === 'number') {
			found.push({field, index});
		}
	}

	return found;
}

/**
 * What a checkpoint, a CSV header and a running monitor compare to know they read the same
 * device: the format and the fields, not the name or the labels.
 */
export function profileShape(profile: DeviceProfile): string {
	return JSON.stringify({
		format: profile.format,
		unknownKeys: profile.unknownKeys,
		fields: profile.fields.map((field) =>
			field.type === 'number'
				? [field.name, field.key, field.range, field.optional]
				: [field.name, field.key, field.levels, field.optional],
		),
	});
}
