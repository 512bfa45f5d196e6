// config.yaml's `device:` section: its schema, the checks zod cannot make (names, keys and
// the pattern against the format), and the DeviceProfile it declares. A section that
// declares no fields (only `name`, or nothing) is the built-in T/V/S device.
import {z} from 'zod';
import {
	builtinProfile,
	type BuiltinRanges,
	type DeviceProfile,
	type Field,
	type LineFormat,
	type StatusMatch,
} from './device-profile.js';
import {statusLevels} from './protocol.js';
import {checkPattern, patternGroups} from './codec.js';
import {
	fieldMetric,
	isOwnMetricName,
	ownMetricNames,
	statusMetricName,
} from './metric-names.js';

/** A problem found in the data, placed at its key path from the top of the file. */
export type DeclarationIssue = {
	path: Array<string | number>;
	message: string;
};

/** A field's name is a CSV column and part of metric and incident names. */
export const fieldNamePattern = /^[a-z][a-z\d_]*$/;
/** Prometheus' metric name syntax. */
const metricNamePattern = /^[a-zA-Z_:][\w:]*$/;
// The CSV's own columns around the fields.
const reservedNames = new Set(['timestamp', 'raw_line']);
// Each format's own options, and the format that takes it.
const formatOptions = [
	['assign', 'pairs'],
	['separators', 'pairs'],
	['separator', 'csv'],
	['header', 'csv'],
	['pattern', 'regex'],
	['template', 'regex'],
] as const;
/** A key ending in this matches the text before it alone or followed by `_` and a reason. */
const prefixMark = '_*';

const level = z.enum(statusLevels, {
	error: `a level: ${statusLevels.join(', ')}`,
});

const fieldSchema = z
	.object({
		name: z
			.string()
			.max(64)
			.regex(
				fieldNamePattern,
				'lower-case letters, digits and _, starting with a letter',
			),
		/** Where the line holds it (default: the name). */
		key: z.union([z.string().min(1), z.number().int().positive()]).optional(),
		label: z.string().min(1).optional(),
		type: z.enum(['number', 'status']).optional(),
		unit: z.string().optional(),
		range: z.tuple([z.number(), z.number()]).optional(),
		decimals: z.number().int().min(0).max(10).optional(),
		optional: z.boolean().optional(),
		metric: z
			.string()
			.regex(metricNamePattern, 'a Prometheus metric name')
			.optional(),
		levels: z.record(z.string().min(1), level).optional(),
	})
	.strict();

export type FieldConfig = z.infer<typeof fieldSchema>;

export const deviceSection = z
	.object({
		/** The `device` label everywhere (null: the port's file name). */
		name: z.string().min(1).nullable(),
		format: z.enum(['pairs', 'csv', 'json', 'regex']).optional(),
		assign: z.string().min(1).max(8).optional(),
		separators: z.string().min(1).max(16).optional(),
		separator: z.enum([',', ';', '\t']).optional(),
		header: z.boolean().optional(),
		pattern: z.string().min(1).max(4096).optional(),
		/** How `emulate` prints a line: `{key}` where a field's value goes. */
		template: z.string().min(1).max(4096).optional(),
		unknown_keys: z.enum(['ignore', 'error']).optional(),
		fields: z.array(fieldSchema).min(1).max(64).optional(),
	})
	.strict();

export type DeviceConfig = z.infer<typeof deviceSection>;

/** Whether the section declares a device of its own (else the built-in one applies). */
export function declaresDevice(device: DeviceConfig): boolean {
	return device.fields !== undefined;
}

const defaults = {
	assign: ':=',
	separators: ', ;\t',
	decimals: 1,
} as const;

/** The profile the section declares, or the built-in one from `ranges`; the section is valid. */
export function resolveDevice(
	device: DeviceConfig,
	ranges: BuiltinRanges,
): DeviceProfile {
	if (device.fields === undefined) {
		return builtinProfile(ranges);
	}

	const format = lineFormat(device);
	return {
		name: device.name ?? 'device',
		builtin: false,
		format,
		unknownKeys: device.unknown_keys ?? 'ignore',
		fields: device.fields.map((field) => resolveField(field, format)),
		// Only a regex device has one: no key at all otherwise, as JSON and checkpoints keep it.
		...(device.template === undefined ? {} : {template: device.template}),
	};
}

function lineFormat(device: DeviceConfig): LineFormat {
	switch (device.format ?? 'pairs') {
		case 'pairs': {
			return {
				type: 'pairs',
				assign: device.assign ?? defaults.assign,
				separators: device.separators ?? defaults.separators,
			};
		}

		case 'csv': {
			return {
				type: 'csv',
				separator: device.separator ?? ',',
				header: device.header ?? false,
			};
		}

		case 'json': {
			return {type: 'json'};
		}

		case 'regex': {
			return {type: 'regex', pattern: device.pattern ?? ''};
		}
	}
}

function resolveField(field: FieldConfig, format: LineFormat): Field {
	const key = fieldKey(field, format);
	const label = field.label ?? labelOf(field.name);
	const optional = field.optional ?? false;
	if (field.type === 'status') {
		return {
			type: 'status',
			name: field.name,
			key,
			label,
			optional,
			levels: Object.entries(field.levels ?? {}).map(
				([value, level]): StatusMatch =>
					value.endsWith(prefixMark) && value.length > prefixMark.length
						? {
								match: 'prefix',
								value: value.slice(0, -prefixMark.length),
								level,
							}
						: {match: 'exact', value, level},
			),
		};
	}

	return {
		type: 'number',
		name: field.name,
		key,
		label,
		unit: field.unit ?? '',
		range: field.range ?? [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
		decimals: field.decimals ?? defaults.decimals,
		optional,
		metric: field.metric,
	};
}

/** The key as the codec compares it: a column number without leading zeros. */
function fieldKey(field: FieldConfig, format: LineFormat): string {
	const key = String(field.key ?? field.name);
	return format.type === 'csv' && !format.header && /^\d+$/.test(key)
		? String(Number(key))
		: key;
}

/** `soil_moisture` reads "Soil moisture". */
function labelOf(name: string): string {
	const words = name.replaceAll('_', ' ');
	return words.charAt(0).toUpperCase() + words.slice(1);
}

/** What is wrong with a declared device beyond its types, each at its key. */
export function deviceIssues(device: DeviceConfig): DeclarationIssue[] {
	const issues: DeclarationIssue[] = [];
	const at = (path: Array<string | number>, message: string) => {
		issues.push({path: ['device', ...path], message});
	};

	const {fields} = device;
	if (fields === undefined) {
		for (const key of [
			'format',
			'unknown_keys',
			...formatOptions.map(([option]) => option),
		] as const) {
			if (device[key] !== undefined) {
				at(
					[key],
					'declares a device, which needs its fields (device.fields); without them the built-in T:,V:,S: device applies',
				);
			}
		}

		return issues;
	}

	const format = lineFormat(device);
	for (const [option, owner] of formatOptions) {
		if (device[option] !== undefined && owner !== format.type) {
			at([option], `only for format: ${owner}`);
		}
	}

	if (format.type === 'regex' && device.pattern === undefined) {
		at(['format'], 'format: regex takes a pattern (device.pattern)');
	}

	if (format.type === 'pairs') {
		for (const char of format.assign) {
			if (format.separators.includes(char)) {
				at(
					['assign'],
					`${JSON.stringify(char)} is also a separator (device.separators)`,
				);
			}
		}
	}

	// Each field's name, key and metric are its own: the first field that has each value.
	const firstWith = new Map<string, number>();
	const firstWithMetric = new Map<string, number>();
	const once = (index: number, key: 'name' | 'key', value: string) => {
		const earlier = firstWith.get(`${key} ${value}`);
		if (earlier === undefined) {
			firstWith.set(`${key} ${value}`, index);
		} else {
			at(
				['fields', index, key],
				`${JSON.stringify(value)} is also the ${key} of device.fields[${earlier}]`,
			);
		}
	};

	for (const [index, field] of fields.entries()) {
		const path = (key: string) => ['fields', index, key];
		if (reservedNames.has(field.name)) {
			at(
				path('name'),
				`${JSON.stringify(field.name)} is a column of the CSV already; name the field otherwise`,
			);
		}

		once(index, 'name', field.name);
		once(index, 'key', fieldKey(field, format));
		// A field whose name is taken is refused for that: its derived metric would be too.
		const metric =
			firstWith.get(`name ${field.name}`) === index
				? metricIssue(field, firstWithMetric, index)
				: undefined;
		if (metric !== undefined) {
			at(path(metric.key), metric.message);
		}

		for (const issue of fieldIssues(field, format)) {
			at(path(issue.key), issue.message);
		}
	}

	if (format.type === 'json') {
		issues.push(...pathPrefixIssues(fields, format));
	}

	if (format.type === 'regex' && device.pattern !== undefined) {
		issues.push(...patternIssues(device.pattern, fields, format));
	}

	return issues;
}

/**
 * Where the field's metric (declared, or derived from its name and unit) is one the exporter
 * already has, serialwatch's own or an earlier field's: prom-client would refuse to open.
 */
function metricIssue(
	field: FieldConfig,
	firstWithMetric: Map<string, number>,
	index: number,
): {key: 'name' | 'metric'; message: string} | undefined {
	const name =
		field.type === 'status'
			? statusMetricName(field)
			: fieldMetric({
					name: field.name,
					unit: field.unit ?? '',
					metric: field.metric,
				}).name;
	const declared = field.type !== 'status' && field.metric !== undefined;
	const key = declared ? 'metric' : 'name';
	const subject = declared ? name : `its metric ${name}`;
	const earlier = firstWithMetric.get(name);
	if (isOwnMetricName(name)) {
		const whose = ownMetricNames.has(name)
			? ''
			: " (process_* and nodejs_* are the process's)";
		const fix = declared
			? "name the field's metric otherwise"
			: field.type === 'status'
				? 'name the field otherwise'
				: 'name the field otherwise, or give it a metric';
		return {
			key,
			message: `${subject} is one of serialwatch's own metrics${whose}; ${fix}`,
		};
	}

	if (earlier !== undefined) {
		return {
			key,
			message: `${subject} is also the metric of device.fields[${earlier}]`,
		};
	}

	firstWithMetric.set(name, index);
	return undefined;
}

function fieldIssues(
	field: FieldConfig,
	format: LineFormat,
): Array<{key: string; message: string}> {
	const issues: Array<{key: string; message: string}> = [];
	const status = field.type === 'status';
	if (status) {
		if (field.levels === undefined || Object.keys(field.levels).length === 0) {
			issues.push({
				key: 'levels',
				message: `a status field maps its values to levels, e.g. {OK: NORMAL, FAULT: CRITICAL}`,
			});
		}

		for (const key of ['unit', 'range', 'decimals', 'metric'] as const) {
			if (field[key] !== undefined) {
				issues.push({key, message: 'only for a number field'});
			}
		}
	} else if (field.levels !== undefined) {
		issues.push({
			key: 'levels',
			message: 'only for a status field (type: status)',
		});
	}

	if (field.range && !(field.range[0] < field.range[1])) {
		issues.push({
			key: 'range',
			message: `the low end (${field.range[0]}) must be below the high end (${field.range[1]})`,
		});
	}

	const keyProblem = keyIssue(fieldKey(field, format), format);
	if (keyProblem !== undefined) {
		issues.push({key: 'key', message: keyProblem});
	}

	return issues;
}

/** Why a key can never be found in a line of this format, if it cannot. */
function keyIssue(key: string, format: LineFormat): string | undefined {
	switch (format.type) {
		case 'pairs': {
			// Labels are compared whole, so `t` and `temp` are two keys; a key holding a
			// character that ends a label could never be compared whole.
			const stop = [...format.assign, ...format.separators, ' ', '\t'].find(
				(char) => key.includes(char),
			);
			return stop === undefined
				? undefined
				: `${JSON.stringify(key)} holds ${JSON.stringify(stop)}, which ends a label in this format`;
		}

		case 'csv': {
			if (!format.header) {
				return /^\d+$/.test(key) && Number(key) >= 1
					? undefined
					: `with header: false a key is a column number (1 for the first), got ${JSON.stringify(key)}; or set header: true to find columns by the device's header line`;
			}

			return key.includes(format.separator)
				? `${JSON.stringify(key)} holds the separator, so no header column can be named so`
				: undefined;
		}

		case 'json': {
			return key.split('.').includes('')
				? `${JSON.stringify(key)} is not a dotted path (a name, or names joined by single dots: env.t)`
				: undefined;
		}

		case 'regex': {
			return undefined;
		}
	}
}

/**
 * In JSON a path and a longer path through it (`env` and `env.t`) cannot both hold
 * numbers: `env` is then an object, so one of the two fields would never be read.
 */
function pathPrefixIssues(
	fields: readonly FieldConfig[],
	format: LineFormat,
): DeclarationIssue[] {
	const byKey = new Map<string, number>();
	for (const [index, field] of fields.entries()) {
		byKey.set(fieldKey(field, format), index);
	}

	const issues: DeclarationIssue[] = [];
	for (const [index, field] of fields.entries()) {
		const parts = fieldKey(field, format).split('.');
		for (let length = 1; length < parts.length; length++) {
			const prefix = parts.slice(0, length).join('.');
			const other = byKey.get(prefix);
			if (other !== undefined) {
				issues.push({
					path: ['device', 'fields', index, 'key'],
					message: `goes through ${JSON.stringify(prefix)}, the key of device.fields[${other}]: a JSON value is a number or an object, not both`,
				});
				break;
			}
		}
	}

	return issues;
}

function patternIssues(
	pattern: string,
	fields: readonly FieldConfig[],
	format: LineFormat,
): DeclarationIssue[] {
	const at = (message: string): DeclarationIssue => ({
		path: ['device', 'pattern'],
		message,
	});
	// The codec's own check: what passes here is what the codec compiles and runs (RE2).
	const problem = checkPattern(pattern);
	if (problem !== undefined) {
		return [at(problem)];
	}

	const groups = patternGroups(pattern);

	const keys = new Set(fields.map((field) => fieldKey(field, format)));
	const issues = groups
		.filter((group) => !keys.has(group))
		.map((group) => at(`the group (?<${group}>) is no field's key`));
	for (const [index, field] of fields.entries()) {
		const key = fieldKey(field, format);
		if (!groups.includes(key)) {
			issues.push({
				path: ['device', 'fields', index, 'key'],
				message: `${JSON.stringify(key)} is no named group of device.pattern (it has ${groups.join(', ')})`,
			});
		}
	}

	return issues;
}
