// config.yaml: its schema, its defaults, and errors that name the key and the line.
// zod does the validation (strict objects reject unknown keys); yaml-source.ts gives each
// problem the line and column of its key, which zod alone cannot.
import {z} from 'zod';
import {
	declaresDevice,
	deviceIssues,
	deviceSection,
	resolveDevice,
	type DeclarationIssue,
} from './device-config.js';
import type {BuiltinRanges, DeviceProfile} from './device-profile.js';
import {InputError, maxProblemsShown} from './input-error.js';
import {isPlainObject} from './plain-object.js';
import type {ProtocolLimits} from './protocol.js';
import {builtinRules, type DetectorSettings} from './rule-spec.js';
import {
	nearestName,
	resolveRules,
	rulesIssues,
	rulesSection,
} from './rules-config.js';
import {deviceRuleTypes} from './rules/rule-types.js';
import {warningThreshold} from './thresholds.js';
import {issueProblems, readYaml, type Locate} from './yaml-source.js';

/** The largest serial.max_line_bytes, so the longest line any run can write to raw.log. */
export const maxLineBytesLimit = 1_048_576;

/** A config file is a page of settings; a bigger one is refused unread (1 MiB). */
export const maxConfigFileBytes = 1_048_576;

const positive = z.number().positive();
const positiveNumber = () => z.number().positive();
const nonNegative = z.number().nonnegative();
const fileName = z
	.string()
	.min(1)
	.regex(/^[^/\\]+$/, 'a file name, without a directory');

/** host:port to listen on, e.g. 127.0.0.1:9464 or [::1]:9464; `:9464` is every address. */
const listenAddressPattern = /^(?:\[[\d:a-fA-F.]+]|[\w.-]*):(?<port>\d{1,5})$/;

/** A HOST:PORT whose port is one a socket can have (0 to 65535; 0: any free one). */
export function isListenAddress(text: string): boolean {
	const port = listenAddressPattern.exec(text)?.groups?.['port'];
	return port !== undefined && Number(port) <= 65_535;
}

const listenAddress = z
	.string()
	.refine(
		isListenAddress,
		'HOST:PORT with a port from 0 to 65535, e.g. 127.0.0.1:9464',
	);
const httpUrl = z
	.string()
	.regex(/^https?:\/\/\S+$/, 'an http:// or https:// URL');
/** The name of an environment variable: secrets come from the environment, never the file. */
const environmentName = z
	.string()
	.regex(/^[A-Za-z_]\w*$/, 'the name of an environment variable');

// What every alert sink takes: which incidents it gets, and how much it may hold back.
const sinkCommon = {
	/** The sink's name in metrics and messages (default: its type, numbered if repeated). */
	name: z.string().min(1).nullable().default(null),
	min_severity: z.enum(['WARNING', 'CRITICAL']).default('WARNING'),
	/** Incident types it gets (null: all); checked against what the device's rules fire. */
	rules: z.array(z.string().min(1).max(100)).nullable().default(null),
	/** Events waiting for delivery at most; past it the oldest is dropped (and counted). */
	queue_max: z.number().int().min(1).max(1_000_000).default(1000),
	timeout_s: positiveNumber().default(10),
};

const alertSink = z.discriminatedUnion('type', [
	z
		.object({
			type: z.literal('alertmanager'),
			url: httpUrl,
			resend_interval_s: positiveNumber().default(60),
			...sinkCommon,
		})
		.strict(),
	z
		.object({
			type: z.literal('pagerduty'),
			url: httpUrl.default('https://events.pagerduty.com/v2/enqueue'),
			routing_key_env: environmentName,
			...sinkCommon,
		})
		.strict(),
	z
		.object({
			type: z.literal('slack'),
			url_env: environmentName,
			...sinkCommon,
		})
		.strict(),
	z
		.object({
			type: z.literal('webhook'),
			url: httpUrl.nullable().default(null),
			url_env: environmentName.nullable().default(null),
			...sinkCommon,
		})
		.strict(),
]);

export type AlertSinkConfig = z.infer<typeof alertSink>;

const schema = z
	.object({
		serial: z
			.object({
				port: z.string().min(1),
				baud_rate: z.number().int().positive(),
				max_line_bytes: z.number().int().min(64).max(maxLineBytesLimit),
				reconnect_interval_s: positive,
				wait_for_port: z.boolean(),
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
						// PREDICTED_BREACH_TEMP: absent, the built-in device predicts nothing.
						predict: z
							.object({
								window_s: positive.max(86_400),
								horizon_s: positive.max(604_800),
								min_readings: z.number().int().min(2).max(100_000).optional(),
							})
							.strict()
							.optional(),
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
				timezone: z.enum(['utc', 'local']),
			})
			.strict(),
		device: deviceSection,
		/** The detector's rules (absent: the built-in device's, from thresholds). */
		rules: rulesSection.optional(),
		exporters: z
			.object({
				prometheus: z
					.object({
						listen: listenAddress.nullable(),
					})
					.strict(),
				influxdb: z
					.object({
						url: httpUrl.nullable(),
						version: z.union([z.literal(1), z.literal(2)]),
						/** 1.x */
						database: z.string().min(1),
						username_env: environmentName.nullable(),
						password_env: environmentName.nullable(),
						/** 2.x */
						org: z.string().min(1).nullable(),
						bucket: z.string().min(1).nullable(),
						token_env: environmentName.nullable(),
						batch_points: z.number().int().min(1).max(100_000),
						flush_interval_s: positive,
						queue_points: z.number().int().min(1).max(10_000_000),
						timeout_s: positive,
					})
					.strict(),
			})
			.strict(),
		alerts: z
			.object({
				sinks: z.array(alertSink).max(50),
			})
			.strict(),
	})
	.strict()
	.superRefine((config, context) => {
		const {voltage} = config.thresholds;
		const rule = (
			ok: boolean,
			path: Array<string | number>,
			message: string,
		) => {
			if (!ok) {
				context.addIssue({code: 'custom', path, message});
			}
		};

		const names = Object.entries(config.output).filter(
			([key]) => key !== 'dir',
		);
		for (const [index, [key, name]] of names.entries()) {
			const earlier = names.slice(0, index).find(([, other]) => other === name);
			rule(
				earlier === undefined,
				['output', key],
				`must differ from output.${earlier?.[0] ?? ''} (both are ${name})`,
			);
		}

		rule(
			voltage.min_v < voltage.max_v,
			['thresholds', 'voltage', 'min_v'],
			`must be below thresholds.voltage.max_v (${voltage.max_v})`,
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
		const influx = config.exporters.influxdb;
		if (influx.url !== null && influx.version === 2) {
			for (const key of ['org', 'bucket', 'token_env'] as const) {
				rule(
					influx[key] !== null,
					['exporters', 'influxdb', key],
					'is needed for InfluxDB 2.x (version: 2)',
				);
			}
		}

		for (const [index, sink] of config.alerts.sinks.entries()) {
			if (sink.type === 'webhook') {
				rule(
					(sink.url === null) !== (sink.url_env === null),
					['alerts', 'sinks', index, 'url'],
					'a webhook takes url or url_env (a URL with a token in it), one of them',
				);
			}
		}

		for (const issue of declarationIssues(config)) {
			context.addIssue({code: 'custom', ...issue});
		}
	});

export type Config = z.infer<typeof schema>;

/** The documented defaults; config.yaml at the top of the repository says the same (a test checks). */
export const defaultConfig: Config = {
	serial: {
		port: '/tmp/serialwatch-monitor',
		baud_rate: 115_200,
		max_line_bytes: 1024,
		reconnect_interval_s: 2,
		wait_for_port: true,
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
	ui: {history_points: 120, max_fps: 10, timezone: 'utc'},
	device: {name: null},
	exporters: {
		prometheus: {listen: null},
		influxdb: {
			url: null,
			version: 1,
			database: 'serialwatch',
			username_env: null,
			password_env: null,
			org: null,
			bucket: null,
			token_env: null,
			batch_points: 5000,
			flush_interval_s: 1,
			queue_points: 20_000,
			timeout_s: 10,
		},
	},
	alerts: {sinks: []},
};

export class ConfigError extends InputError {
	constructor(problems: string[]) {
		super('config', problems);
		this.name = 'ConfigError';
	}
}

/**
 * Parse and validate config text. Keys left out take their defaults, section by section.
 * Throws ConfigError whose lines read `<source>:<line>:<column>: <key>: <problem>`.
 */
export function parseConfig(text: string, source: string): Config {
	return parseConfigWithWarnings(text, source).config;
}

/**
 * parseConfig, and what the valid config does that its author may not expect, placed like
 * its errors: `<source>:<line>:<column>: <key>: <warning>`. A warn_c at or above max_c is
 * allowed (lowering max_c alone is the obvious live retune and must not be refused) but
 * turns the warning band off.
 */
export function parseConfigWithWarnings(
	text: string,
	source: string,
): {config: Config; warnings: string[]} {
	const yaml = readYaml(text, source);
	if (!yaml.ok) {
		throw new ConfigError(yaml.problems);
	}

	if (!isPlainObject(yaml.data)) {
		throw new ConfigError([
			`${source}: the top level must be a mapping of sections`,
		]);
	}

	const data = withDefaults(yaml.data);
	const result = schema.safeParse(data);
	if (!result.success) {
		throw new ConfigError(
			issueProblems(result.error.issues, yaml.locate, data),
		);
	}

	const written = yaml.data;
	return {
		config: result.data,
		warnings: placedWarnings(
			result.data,
			(path) => hasPath(written, path),
			yaml.locate,
		),
	};
}

type Path = readonly string[];

function placedWarnings(
	config: Config,
	written: (path: Path) => boolean,
	locate: Locate | undefined,
): string[] {
	const place = (path: Path, message: string) =>
		`${locate ? `${locate(path, 'key')}: ` : ''}${path.join('.')}: ${message}`;
	const device = declaresDevice(config.device);
	const ignored: string[] = [];
	if (device && written(['protocol'])) {
		ignored.push(
			place(
				['protocol'],
				"ignored: it sets the built-in device's ranges, and device: declares another (each field has its range)",
			),
		);
	}

	if (device || config.rules !== undefined) {
		for (const section of ['temperature', 'voltage']) {
			const path = ['thresholds', section];
			if (written(path)) {
				ignored.push(
					place(
						path,
						`ignored: it sets the built-in device's rules, and ${config.rules === undefined ? 'device: declares another device (its rules go in rules:)' : 'rules: replaces them'}`,
					),
				);
			}
		}

		return ignored;
	}

	return [...ignored, ...warningBandWarnings(config, written, locate)];
}

function warningBandWarnings(
	config: Config,
	written: (path: Path) => boolean,
	locate: Locate | undefined,
): string[] {
	const {warn_c: warn, max_c: max} = config.thresholds.temperature;
	if (
		warn === null ||
		warningThreshold(config.thresholds.temperature) !== undefined
	) {
		return [];
	}

	const warnPath = ['thresholds', 'temperature', 'warn_c'];
	const maxPath = ['thresholds', 'temperature', 'max_c'];
	const off = 'the warning band is off (set warn_c below max_c, or null)';
	// Placed at the key the author wrote: a max_c lowered under the default warn_c is the
	// max_c line's doing.
	const [path, message] =
		written(warnPath) || !written(maxPath)
			? [
					warnPath,
					`${warn} is not below thresholds.temperature.max_c (${max}): ${off}`,
				]
			: [
					maxPath,
					`${max} is not above thresholds.temperature.warn_c (${warn}, its default): ${off}`,
				];
	const where = locate ? `${locate(path)}: ` : '';
	return [`${where}${path.join('.')}: ${message}`];
}

function hasPath(data: unknown, path: Path): boolean {
	let current = data;
	for (const key of path) {
		if (!isPlainObject(current) || !(key in current)) {
			return false;
		}

		current = current[key];
	}

	return true;
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
		// Defined, not assigned: a `__proto__` key in the file stays a key (and is refused as
		// unknown) instead of replacing the prototype, where the schema would not see it.
		Object.defineProperty(result, key, {
			value: Object.hasOwn(base, key) ? merge(base[key], value) : value,
			enumerable: true,
			writable: true,
			configurable: true,
		});
	}

	return result;
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

function builtinRanges(config: Config): BuiltinRanges {
	const {temperatureRangeC, voltageRangeV} = protocolLimits(config);
	return {temperatureRangeC, voltageRangeV};
}

/** The device config.yaml declares, or the built-in T/V/S device within `protocol`'s limits. */
export function deviceProfile(config: Config): DeviceProfile {
	return resolveDevice(config.device, builtinRanges(config));
}

/**
 * What the detector judges by. The rules are `rules:` when the file has the section, else
 * the built-in device's from `thresholds` (a declared device without `rules:` has none but
 * the device-wide heartbeat and parse-error rate, which `thresholds` sets for any device).
 */
export function detectorSettings(config: Config): DetectorSettings {
	const profile = deviceProfile(config);
	let rules =
		config.rules === undefined ? undefined : resolveRules(config.rules);
	rules ??= profile.builtin ? builtinRules(config.thresholds) : [];
	return {
		profile,
		rules,
		heartbeat_timeout_s: config.thresholds.heartbeat_timeout_s,
		parse_errors: config.thresholds.parse_errors,
	};
}

/** Every incident type the settings can fire. */
function firedTypes(settings: DetectorSettings): string[] {
	return [...settings.rules.map((rule) => rule.type), ...deviceRuleTypes];
}

/** The device and its rules checked together, and the sinks' rule filters against both. */
function declarationIssues(config: Config): DeclarationIssue[] {
	const issues = deviceIssues(config.device);
	const settings = detectorSettings(config);
	if (config.rules !== undefined) {
		issues.push(...rulesIssues(config.rules, settings.profile));
	}

	const fired = new Set(firedTypes(settings));
	const listed = [...fired].join(', ');
	let unknown = 0;
	for (const [index, sink] of config.alerts.sinks.entries()) {
		for (const [position, type] of (sink.rules ?? []).entries()) {
			if (!fired.has(type)) {
				// A suggestion and the list only where they are shown: a file of many
				// unknown types must not cost an edit distance and a long message each.
				const shown = ++unknown <= maxProblemsShown;
				const near = shown ? nearestName(type, fired) : undefined;
				issues.push({
					path: ['alerts', 'sinks', index, 'rules', position],
					message: `${JSON.stringify(type)} is no incident type of this device${near ? ` (did you mean ${near}?)` : ''}${shown ? `; its types: ${listed}` : ''}`,
				});
			}
		}
	}

	return issues;
}
