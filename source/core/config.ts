// config.yaml: its schema, its defaults, and errors that name the key and the line.
// zod does the validation (strict objects reject unknown keys); the yaml package's
// document model gives each key's position, which zod alone cannot.
import {
	isMap,
	isNode,
	isScalar,
	LineCounter,
	parseDocument,
	type Document,
} from 'yaml';
import {z} from 'zod';
import type {ProtocolLimits} from './protocol.js';
import {errorMessage} from './error-message.js';

const positive = z.number().positive();
const nonNegative = z.number().nonnegative();
const fileName = z
	.string()
	.min(1)
	.regex(/^[^/\\]+$/, 'a file name, without a directory');

const schema = z
	.object({
		serial: z
			.object({
				port: z.string().min(1),
				baud_rate: z.number().int().positive(),
				max_line_bytes: z.number().int().min(64).max(1_048_576),
				reconnect_interval_s: positive,
			})
			.strict(),
		protocol: z
			.object({
				temperature_min_c: z.number(),
				temperature_max_c: z.number(),
				voltage_min_v: z.number(),
				voltage_max_v: z.number(),
			})
			.strict(),
		output: z
			.object({
				dir: z.string().min(1),
				raw_log: fileName,
				metrics_csv: fileName,
				parser_errors_log: fileName,
				report_json: fileName,
			})
			.strict(),
		thresholds: z
			.object({
				temperature: z
					.object({
						max_c: z.number(),
						warn_c: z.number().nullable(),
						max_change_c: positive,
						for_s: nonNegative,
						clear_margin_c: nonNegative,
					})
					.strict(),
				voltage: z
					.object({
						min_v: z.number(),
						max_v: z.number(),
						for_s: nonNegative,
						clear_margin_v: nonNegative,
					})
					.strict(),
				heartbeat_timeout_s: positive,
				parse_errors: z
					.object({
						max_per_min: z.number().int().nonnegative(),
					})
					.strict(),
			})
			.strict(),
		emulator: z
			.object({
				port: z.string().min(1),
				rate_hz: nonNegative,
				scenario: z.string().min(1),
				seed: z.number().int(),
			})
			.strict(),
		ui: z
			.object({
				history_points: z.number().int().min(2).max(10_000),
				max_fps: z.number().positive().max(60),
			})
			.strict(),
	})
	.strict()
	.superRefine((config, context) => {
		const {temperature, voltage} = config.thresholds;
		const rule = (
			ok: boolean,
			path: Array<string | number>,
			message: string,
		) => {
			if (!ok) {
				context.addIssue({code: 'custom', path, message});
			}
		};

		rule(
			voltage.min_v < voltage.max_v,
			['thresholds', 'voltage', 'min_v'],
			`must be below thresholds.voltage.max_v (${voltage.max_v})`,
		);
		rule(
			temperature.warn_c === null || temperature.warn_c < temperature.max_c,
			['thresholds', 'temperature', 'warn_c'],
			`must be below thresholds.temperature.max_c (${temperature.max_c}), or null`,
		);
		rule(
			config.protocol.temperature_min_c < config.protocol.temperature_max_c,
			['protocol', 'temperature_min_c'],
			'must be below protocol.temperature_max_c',
		);
		rule(
			config.protocol.voltage_min_v < config.protocol.voltage_max_v,
			['protocol', 'voltage_min_v'],
			'must be below protocol.voltage_max_v',
		);
	});

export type Config = z.infer<typeof schema>;

/** The documented defaults; config.yaml at the top of the repository says the same (a test checks). */
export const defaultConfig: Config = {
	serial: {
		port: '/tmp/serialwatch-monitor',
		baud_rate: 115_200,
		max_line_bytes: 1024,
		reconnect_interval_s: 2,
	},
	protocol: {
		temperature_min_c: -273.15,
		temperature_max_c: 1000,
		voltage_min_v: 0,
		voltage_max_v: 100,
	},
	output: {
		dir: './data',
		raw_log: 'raw.log',
		metrics_csv: 'structured_metrics.csv',
		parser_errors_log: 'parser_errors.log',
		report_json: 'anomaly_report.json',
	},
	thresholds: {
		temperature: {
			max_c: 80,
			warn_c: 70,
			max_change_c: 15,
			for_s: 0,
			clear_margin_c: 0,
		},
		voltage: {min_v: 4.5, max_v: 5.5, for_s: 0, clear_margin_v: 0},
		heartbeat_timeout_s: 5,
		parse_errors: {max_per_min: 10},
	},
	emulator: {
		port: '/tmp/serialwatch-device',
		rate_hz: 10,
		scenario: 'mixed',
		seed: 42,
	},
	ui: {history_points: 120, max_fps: 10},
};

export class ConfigError extends Error {
	readonly problems: string[];

	constructor(problems: string[]) {
		super(problems.join('\n'));
		this.name = 'ConfigError';
		this.problems = problems;
	}
}

// A YAML "billion laughs" needs many alias expansions; a config needs few.
const maxAliasCount = 50;

/**
 * Parse and validate config text. Keys left out take their defaults, section by section.
 * Throws ConfigError whose lines read `<source>:<line>:<column>: <key>: <problem>`.
 */
export function parseConfig(text: string, source: string): Config {
	const lineCounter = new LineCounter();
	const document = parseDocument(text, {lineCounter, prettyErrors: false});
	const at = (offset: number | undefined) => {
		if (offset === undefined) {
			return source;
		}

		const {line, col} = lineCounter.linePos(offset);
		return `${source}:${line}:${col}`;
	};

	if (document.errors.length > 0) {
		throw new ConfigError(
			document.errors.map(
				(error) =>
					`${at(error.pos[0])}: YAML syntax: ${firstLine(error.message)}`,
			),
		);
	}

	let data: unknown;
	try {
		data = document.toJS({maxAliasCount}) ?? {};
	} catch (error) {
		throw new ConfigError([`${source}: ${errorMessage(error)}`]);
	}

	if (!isPlainObject(data)) {
		throw new ConfigError([
			`${source}: the top level must be a mapping of sections`,
		]);
	}

	const result = schema.safeParse(withDefaults(data));
	if (result.success) {
		return result.data;
	}

	throw new ConfigError(
		result.error.issues.flatMap((issue) => {
			const path = issue.path.map(String);
			if (issue.code === 'unrecognized_keys') {
				return issue.keys.map(
					(key) =>
						`${at(keyOffset(document, [...path, key]))}: ${[...path, key].join('.')}: unknown key`,
				);
			}

			const where = at(valueOffset(document, path));
			const key = path.join('.') || '(top level)';
			return [`${where}: ${key}: ${describe(issue, document, path)}`];
		}),
	);
}

function describe(
	issue: z.core.$ZodIssue,
	document: Document,
	path: string[],
): string {
	if (issue.code === 'invalid_type') {
		const node = document.getIn(path, true);
		const actual = isScalar(node)
			? JSON.stringify(node.value)
			: 'a mapping or list';
		return `expected ${issue.expected}, got ${actual}`;
	}

	return issue.message;
}

/** Fill keys the file leaves out from the defaults, one level of sections deep and below. */
function withDefaults(data: Record<string, unknown>): unknown {
	return merge(defaultConfig, data);
}

function merge(base: unknown, override: unknown): unknown {
	if (!isPlainObject(base) || !isPlainObject(override)) {
		return override === undefined ? base : override;
	}

	const result: Record<string, unknown> = {...base};
	for (const [key, value] of Object.entries(override)) {
		result[key] = key in base ? merge(base[key], value) : value;
	}

	return result;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function valueOffset(document: Document, path: string[]): number | undefined {
	const node = document.getIn(path, true);
	return (
		(isNode(node) ? node.range?.[0] : undefined) ??
		(path.length > 0 ? keyOffset(document, path) : undefined)
	);
}

function keyOffset(document: Document, path: string[]): number | undefined {
	const parent =
		path.length > 1
			? document.getIn(path.slice(0, -1), true)
			: document.contents;
	if (!isMap(parent)) {
		return path.length > 1 ? keyOffset(document, path.slice(0, -1)) : undefined;
	}

	const pair = parent.items.find(
		(item) => isScalar(item.key) && String(item.key.value) === path.at(-1),
	);
	return isNode(pair?.key) ? pair.key.range?.[0] : undefined;
}

function firstLine(message: string): string {
	return message.split('\n')[0] ?? message;
}

/** The parser's limits, from `serial.max_line_bytes` and the `protocol` section. */
export function protocolLimits(config: Config): ProtocolLimits {
	return {
		maxLineBytes: config.serial.max_line_bytes,
		temperatureRangeC: [
			config.protocol.temperature_min_c,
			config.protocol.temperature_max_c,
		],
		voltageRangeV: [
			config.protocol.voltage_min_v,
			config.protocol.voltage_max_v,
		],
	};
}
