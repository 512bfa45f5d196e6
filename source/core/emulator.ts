// The device emulator's scenarios: what a device would send, as a lazy sequence of steps.
// Pure: no clock and no I/O. Randomness comes from a PRNG seeded by the caller, so a seed
// names one exact byte sequence (tests and bug reports rely on that); pacing is the
// runner's job (adapters/emulator-runner.ts), so a silence here is only a duration.
import {
	isMap,
	isNode,
	isScalar,
	isSeq,
	LineCounter,
	parseDocument,
	type Document,
} from 'yaml';
import {z} from 'zod';
import {defaultConfig, type Config} from './config.js';
import {parseLine, type ProtocolLimits} from './protocol.js';

export type EmulatorStep =
	| {kind: 'line'; bytes: Uint8Array; valid: boolean}
	| {kind: 'silence'; ms: number};

export type ScenarioOptions = {
	seed: number;
	heartbeatTimeoutS: number;
	thresholds: Config['thresholds'];
};

/** One step of a user scenario file, after validation. */
export type UserStep =
	| {
			kind: 'reading';
			temperatureC: number;
			voltageV: number;
			/** Left out in the file: derived from the thresholds, as the device would. */
			status: string | undefined;
			count: number;
			toTemperatureC: number | undefined;
			toVoltageV: number | undefined;
	  }
	| {kind: 'raw'; text: string}
	| {kind: 'silence'; ms: number};

export type UserScenario = {steps: UserStep[]; repeat: boolean};

export type Scenario =
	| {name: 'mixed'}
	| {name: 'normal'}
	| {name: 'failure'}
	| ({name: 'file'} & UserScenario);

export const builtInScenarios = ['mixed', 'normal', 'failure'] as const;

/** A scenario that cannot be used; `problems` lines read `<source>:<line>:<col>: <key>: <problem>`. */
export class ScenarioError extends Error {
	readonly problems: string[];

	constructor(problems: string[]) {
		super(problems.join('\n'));
		this.name = 'ScenarioError';
		this.problems = problems;
	}
}

/**
 * The mulberry32 generator: 32 bits of state, tiny, and good enough for test data. Floats
 * in [0, 1). Seeds are taken modulo 2^32, so seeds 2^32 apart give the same run.
 */
/* eslint-disable no-bitwise -- the generator is 32-bit integer arithmetic by definition */
export function createPrng(seed: number): () => number {
	let state = Math.trunc(seed) >>> 0;
	return () => {
		state = (state + 0x6d_2b_79_f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}
/* eslint-enable no-bitwise */

export function createScenario(
	scenario: Scenario,
	options: ScenarioOptions,
): Iterable<EmulatorStep> {
	switch (scenario.name) {
		case 'mixed': {
			return mixedScenario(options);
		}

		case 'normal': {
			return normalScenario(options);
		}

		case 'failure': {
			return failureScenario(options);
		}

		case 'file': {
			return fileScenario(scenario, options);
		}
	}
}

/**
 * A built-in name, or else the path of a YAML scenario file (read through readFile, so this
 * stays free of I/O). Built-in names win: a file called `normal` is reached as `./normal`.
 */
export function resolveScenario(
	nameOrPath: string,
	readFile: (path: string) => string,
): Scenario {
	switch (nameOrPath) {
		case 'mixed':
		case 'normal':
		case 'failure': {
			return {name: nameOrPath};
		}

		default: {
			break;
		}
	}

	let text: string;
	try {
		text = readFile(nameOrPath);
	} catch (error) {
		const code =
			typeof error === 'object' && error !== null && 'code' in error
				? error.code
				: undefined;
		throw new ScenarioError([
			code === 'ENOENT'
				? `scenario '${nameOrPath}' is neither a built-in scenario (${builtInScenarios.join(', ')}) nor an existing file`
				: `${nameOrPath}: cannot read the scenario file: ${messageOf(error)}`,
		]);
	}

	return {name: 'file', ...parseScenario(text, nameOrPath)};
}

// ---------------------------------------------------------------------------------------
// Device lines

const encoder = new TextEncoder();

function line(text: string, valid = true): EmulatorStep {
	return {kind: 'line', bytes: encoder.encode(text), valid};
}

/** Temperatures with 1 or 2 decimals (25.0, 25.1, 25.13), voltages with 2, as the device prints them. */
function formatDeviceLine(
	temperature: number,
	voltage: number,
	status: string,
): string {
	const t = temperature.toFixed(2).replace(/(\.\d)0$/v, '$1');
	return `T:${t},V:${voltage.toFixed(2)},S:${status}`;
}

type Level = 'NORMAL' | 'WARNING' | 'CRITICAL';
type VoltageReasons = {over: string; under: string};
const overUnderVolt: VoltageReasons = {over: 'OVERVOLT', under: 'UNDERVOLT'};

/**
 * The status a healthy device reports for these values: an alarm is a value strictly past
 * its threshold, as in the detector. Values are also nudged off exact boundaries (see
 * avoidBoundaries), so a detector comparing with >= would agree too.
 */
function deviceStatus(
	temperature: number,
	voltage: number,
	thresholds: Config['thresholds'],
	voltageReason: VoltageReasons = overUnderVolt,
): {level: Level; status: string} {
	const {temperature: tl, voltage: vl} = thresholds;
	if (voltage > vl.max_v) {
		return {level: 'CRITICAL', status: `CRITICAL_${voltageReason.over}`};
	}

	if (voltage < vl.min_v) {
		return {level: 'CRITICAL', status: `CRITICAL_${voltageReason.under}`};
	}

	if (temperature > tl.max_c) {
		return {level: 'CRITICAL', status: 'CRITICAL_TEMP'};
	}

	if (tl.warn_c !== null && temperature > tl.warn_c) {
		return {level: 'WARNING', status: 'WARNING_TEMP'};
	}

	return {level: 'NORMAL', status: 'NORMAL'};
}

function round(value: number, decimals: number): number {
	const factor = 10 ** decimals;
	return Math.round(value * factor) / factor;
}

/** Rounded to what is printed, and moved 0.01 off any threshold it lands on exactly. */
function avoidBoundaries(value: number, boundaries: readonly number[]): number {
	const printed = round(value, 2);
	return boundaries.includes(printed) ? round(printed + 0.01, 2) : printed;
}

// ---------------------------------------------------------------------------------------
// mixed: an endless, realistic run that passes through every kind of trouble.

type Random = () => number;

function between(random: Random, min: number, max: number): number {
	return min + (max - min) * random();
}

function integerBetween(random: Random, min: number, max: number): number {
	return Math.floor(between(random, min, max + 1));
}

/** Roughly normal noise in [-1, 1], centred on 0. */
function noise(random: Random): number {
	return (random() + random() + random() - 1.5) / 1.5;
}

function pick<T>(random: Random, items: readonly T[]): T {
	return items[Math.floor(random() * items.length)]!;
}

const corruptionRate = 0.01;

type Phase =
	| 'normal'
	| 'warning'
	| 'critical-temperature'
	| 'critical-voltage'
	| 'offline'
	| 'swing';

// What follows a normal stretch; weights sum to 1.
const events: ReadonlyArray<[Exclude<Phase, 'normal'>, number]> = [
	['warning', 0.3],
	['critical-temperature', 0.2],
	['critical-voltage', 0.2],
	['offline', 0.15],
	['swing', 0.15],
];

function* mixedScenario(options: ScenarioOptions): Generator<EmulatorStep> {
	const random = createPrng(options.seed);
	const {thresholds} = options;
	const {temperature: tl, voltage: vl} = thresholds;
	const warnC = tl.warn_c ?? tl.max_c - 10;
	const nominalV = (vl.min_v + vl.max_v) / 2;
	const halfBandV = (vl.max_v - vl.min_v) / 2;
	const temperatureBoundaries = [tl.max_c, tl.warn_c ?? tl.max_c];
	const voltageBoundaries = [vl.min_v, vl.max_v];

	let temperature = between(random, 25, 35);
	let voltage = nominalV;

	const reading = (status?: string): EmulatorStep => {
		temperature = avoidBoundaries(temperature, temperatureBoundaries);
		voltage = avoidBoundaries(Math.max(0, voltage), voltageBoundaries);
		const text = formatDeviceLine(
			temperature,
			voltage,
			status ?? deviceStatus(temperature, voltage, thresholds).status,
		);
		return random() < corruptionRate ? corrupt(text, random) : line(text);
	};

	// Temperature eases toward a target with a little noise; voltage hovers near nominal.
	const drift = (targetC: number, pull: number, targetV = nominalV) => {
		temperature += (targetC - temperature) * pull + noise(random) * 0.3;
		voltage +=
			(targetV - voltage) * (targetV === nominalV ? 0.2 : 0.3) +
			noise(random) * halfBandV * 0.04;
	};

	for (;;) {
		// A normal stretch around a baseline between 25 and 60 °C, kept clear of warnings.
		const baseline = Math.min(between(random, 25, 60), warnC - 5);
		// Limits apply once a value is back inside them, so leaving a critical phase is a
		// gradual cool-down rather than a jump (which would be an unplanned rapid change).
		const highC = warnC - 1;
		const [lowV, highV] = [
			vl.min_v + halfBandV * 0.2,
			vl.max_v - halfBandV * 0.2,
		];
		for (let n = integerBetween(random, 100, 400); n > 0; n--) {
			const [wasC, wasV] = [temperature, voltage];
			drift(baseline, 0.03);
			if (wasC <= highC) {
				temperature = Math.min(temperature, highC);
			}

			if (wasV >= lowV && wasV <= highV) {
				voltage = Math.min(Math.max(voltage, lowV), highV);
			}

			yield reading();
		}

		yield* mixedEvent(pickEvent(random));
	}

	function* mixedEvent(
		phase: Exclude<Phase, 'normal'>,
	): Generator<EmulatorStep> {
		switch (phase) {
			case 'warning': {
				const target = between(
					random,
					warnC + 1,
					Math.max(warnC + 1, tl.max_c - 1),
				);
				for (let n = integerBetween(random, 30, 120); n > 0; n--) {
					drift(target, 0.1);
					temperature = Math.min(temperature, tl.max_c - 0.5);
					yield reading();
				}

				break;
			}

			case 'critical-temperature': {
				const target = tl.max_c + between(random, 3, 15);
				for (let n = integerBetween(random, 20, 80); n > 0; n--) {
					drift(target, 0.12);
					yield reading();
				}

				break;
			}

			case 'critical-voltage': {
				const target =
					random() < 0.5
						? vl.max_v + between(random, 0.1, 0.6)
						: vl.min_v - between(random, 0.1, 0.5);
				for (let n = integerBetween(random, 10, 50); n > 0; n--) {
					drift(temperature, 0, target);
					yield reading();
				}

				break;
			}

			case 'offline': {
				// The device still talks but its sensor is gone; then, half the time, it goes
				// quiet for longer than the heartbeat timeout.
				const reason = pick(random, ['SENSOR', 'ADC', 'LINK'] as const);
				for (let n = integerBetween(random, 3, 8); n > 0; n--) {
					yield reading(`OFFLINE_${reason}`);
				}

				if (random() < 0.5) {
					yield {
						kind: 'silence',
						ms: Math.round(
							options.heartbeatTimeoutS * 1000 * between(random, 1.2, 2.2),
						),
					};
				}

				break;
			}

			case 'swing': {
				// One step of more than max_change_c, then the normal stretch pulls it back.
				const size = tl.max_change_c + between(random, 1, 15);
				temperature += temperature - size < 0 || random() < 0.5 ? size : -size;
				yield reading();
				break;
			}
		}
	}
}

function pickEvent(random: Random): Exclude<Phase, 'normal'> {
	let roll = random();
	for (const [phase, weight] of events) {
		roll -= weight;
		if (roll < 0) {
			return phase;
		}
	}

	return events.at(-1)![0];
}

// Bytes that can appear in no valid line anywhere: C0 controls except LF (it would end the
// line) and CR (a splitter may drop it at the end of a line), DEL, and bytes >= 0x80, which
// are invalid UTF-8 alone and outside the protocol's ASCII even when they combine.
const poisonBytes = [
	...Array.from({length: 0x20}, (_, byte) => byte).filter(
		(byte) => byte !== 0x0a && byte !== 0x0d,
	),
	0x7f,
	...Array.from({length: 0x80}, (_, index) => 0x80 + index),
];

const nonNumbers = ['abc', 'NaN', '', '--', '5..0', '1e', 'inf', '0x1F', '2 5'];

/**
 * A damaged copy of a valid line, the way a flaky link damages them. Each kind is built so
 * that it cannot parse (tests check this against parseLine).
 */
function corrupt(text: string, random: Random): EmulatorStep {
	const kind = pick(random, [
		'truncated',
		'garbage',
		'missing-field',
		'non-numeric',
	] as const);
	switch (kind) {
		case 'truncated': {
			// Cut no later than just after `S:`, so the status is empty or missing, never a
			// shorter status that still parses (WARNING_TE would).
			const end = text.indexOf(',S:') + 3;
			return line(text.slice(0, integerBetween(random, 1, end)), false);
		}

		case 'garbage': {
			if (random() < 0.5) {
				// Noise alone: printable bytes and poison, at least one poison byte.
				const bytes = Array.from({length: integerBetween(random, 3, 40)}, () =>
					random() < 0.5
						? integerBetween(random, 0x20, 0x7e)
						: pick(random, poisonBytes),
				);
				bytes[integerBetween(random, 0, bytes.length - 1)] = pick(
					random,
					poisonBytes,
				);
				return {kind: 'line', bytes: Uint8Array.from(bytes), valid: false};
			}

			// A real line with a few poison bytes spliced in.
			const bytes = [...encoder.encode(text)];
			for (let n = integerBetween(random, 1, 4); n > 0; n--) {
				bytes.splice(
					integerBetween(random, 0, bytes.length),
					0,
					pick(random, poisonBytes),
				);
			}

			return {kind: 'line', bytes: Uint8Array.from(bytes), valid: false};
		}

		case 'missing-field': {
			const fields = text.split(',');
			fields.splice(integerBetween(random, 0, fields.length - 1), 1);
			return line(fields.join(','), false);
		}

		case 'non-numeric': {
			const fields = text.split(',');
			const index = random() < 0.5 ? 0 : 1;
			const key = index === 0 ? 'T' : 'V';
			fields[index] = `${key}:${pick(random, nonNumbers)}`;
			return line(fields.join(','), false);
		}
	}
}

// ---------------------------------------------------------------------------------------
// normal: endless, clean and quiet; a baseline that must raise no alarm at all.

function* normalScenario(options: ScenarioOptions): Generator<EmulatorStep> {
	const random = createPrng(options.seed);
	const {temperature: tl, voltage: vl} = options.thresholds;
	const ceilingC = Math.min(tl.warn_c ?? tl.max_c, tl.max_c);
	// Invariants: temperature in [lowC, highC], strictly below every temperature alarm;
	// voltage in the middle 60% of its band; no step larger than maxStepC, which is at most
	// a quarter of max_change_c, so even with rounding to 0.01 a printed step stays under
	// half of it (for any max_change_c of 0.04 or more).
	const highC = Math.min(45, ceilingC - 2);
	const lowC = highC - 20;
	const maxStepC = Math.min(0.5, tl.max_change_c / 4);
	const nominalV = (vl.min_v + vl.max_v) / 2;
	const halfBandV = ((vl.max_v - vl.min_v) / 2) * 0.6;

	let temperature = between(random, lowC + 5, highC - 5);
	let voltage = nominalV;
	for (;;) {
		// Clamping only ever moves a value back toward where it was, so it keeps the step bound.
		temperature = Math.min(
			highC,
			Math.max(lowC, temperature + noise(random) * maxStepC),
		);
		voltage = Math.min(
			nominalV + halfBandV,
			Math.max(
				nominalV - halfBandV,
				voltage + (nominalV - voltage) * 0.1 + noise(random) * halfBandV * 0.1,
			),
		);
		yield line(formatDeviceLine(temperature, voltage, 'NORMAL'));
	}
}

// ---------------------------------------------------------------------------------------
// failure: one finite run that forces every alarm the monitor has, in a known order.

function* failureScenario(options: ScenarioOptions): Generator<EmulatorStep> {
	const random = createPrng(options.seed);
	const {thresholds} = options;
	const status = (temperature: number, voltage: number) =>
		deviceStatus(temperature, voltage, thresholds, {
			over: 'VOLTAGE',
			under: 'VOLTAGE',
		}).status;
	const calm = function* (count: number): Generator<EmulatorStep> {
		for (let n = 0; n < count; n++) {
			const temperature = round(25 + noise(random) * 0.3, 1);
			const voltage = round(5 + noise(random) * 0.02, 2);
			yield line(
				formatDeviceLine(temperature, voltage, status(temperature, voltage)),
			);
		}
	};

	const baseC = 25;
	const peakC = 95.5;
	const peakV = 6.1;

	// 1. Ten calm readings, then the two kinds of parse error.
	yield* calm(10);
	yield line('T:25.1,V:5.0', false);
	yield line('T:abc,V:5.0,S:NORMAL', false);

	// 2. Temperature ramps 25 -> 95.5 in steps kept under half of max_change_c (10 steps with
	// the defaults), so the climb raises temperature alarms but no rapid-change alarm.
	// The reading just before the peak (88.5 °C by default) is the status mismatch: the
	// device says NORMAL while the value is critical. It sits in the ramp rather than in the
	// calm section so that it does not also cause two rapid-change alarms.
	const rampSteps = Math.max(
		10,
		Math.ceil((peakC - baseC) / (thresholds.temperature.max_change_c / 2)),
	);
	for (let index = 1; index <= rampSteps; index++) {
		const temperature = round(baseC + ((peakC - baseC) * index) / rampSteps, 1);
		yield line(
			formatDeviceLine(
				temperature,
				5,
				index === rampSteps - 1 ? 'NORMAL' : status(temperature, 5),
			),
		);
	}

	// 3. At the peak temperature, voltage climbs to 6.1.
	for (const voltage of [5.3, 5.6, 5.9, peakV]) {
		yield line(formatDeviceLine(peakC, voltage, status(peakC, voltage)));
	}

	// 4. One step down by 70.5 °C (and voltage back to 5.0): a rapid-change alarm.
	yield line(formatDeviceLine(baseC, 5, status(baseC, 5)));

	// 5. Silence well past the heartbeat timeout, then recovery.
	yield {kind: 'silence', ms: options.heartbeatTimeoutS * 1000 * 1.5 + 500};
	yield* calm(10);
}

// ---------------------------------------------------------------------------------------
// file: steps from a user's YAML file.

// A raw line's `valid` is what the protocol says with its default limits; the emulator
// itself has no opinion about text the user wrote.
const defaultLimits: ProtocolLimits = {
	maxLineBytes: defaultConfig.serial.max_line_bytes,
	temperatureRangeC: [
		defaultConfig.protocol.temperature_min_c,
		defaultConfig.protocol.temperature_max_c,
	],
	voltageRangeV: [
		defaultConfig.protocol.voltage_min_v,
		defaultConfig.protocol.voltage_max_v,
	],
};

function* fileScenario(
	scenario: UserScenario,
	options: ScenarioOptions,
): Generator<EmulatorStep> {
	const userLine = (text: string): EmulatorStep => {
		const bytes = encoder.encode(text);
		return {kind: 'line', bytes, valid: parseLine(bytes, defaultLimits).ok};
	};

	// A repeating scenario has a line step (parseScenario checks), so this loop always yields.
	do {
		for (const step of scenario.steps) {
			switch (step.kind) {
				case 'raw': {
					yield userLine(step.text);
					break;
				}

				case 'silence': {
					yield {kind: 'silence', ms: step.ms};
					break;
				}

				case 'reading': {
					for (let index = 0; index < step.count; index++) {
						const fraction = step.count === 1 ? 0 : index / (step.count - 1);
						const temperature = round(
							step.temperatureC +
								((step.toTemperatureC ?? step.temperatureC) -
									step.temperatureC) *
									fraction,
							2,
						);
						const voltage = round(
							step.voltageV +
								((step.toVoltageV ?? step.voltageV) - step.voltageV) * fraction,
							2,
						);
						yield userLine(
							formatDeviceLine(
								temperature,
								voltage,
								step.status ??
									deviceStatus(temperature, voltage, options.thresholds).status,
							),
						);
					}

					break;
				}
			}
		}
	} while (scenario.repeat);
}

// A scenario needs no anchors at all; a YAML "billion laughs" needs many.
const maxAliasCount = 50;

const finiteNumber = z.number();
const readingSchema = z
	.object({
		temperature_c: finiteNumber,
		voltage_v: finiteNumber,
		status: z
			.string()
			.regex(
				/^[^,\p{Cc}]+$/v,
				'expected a status without commas or control characters (send malformed lines with raw:)',
			)
			.optional(),
		count: z
			.number()
			.int({error: 'expected a whole number'})
			.min(1, {error: 'expected 1 or more'})
			.optional(),
		to_temperature_c: finiteNumber.optional(),
		to_voltage_v: finiteNumber.optional(),
	})
	.strict();
const rawSchema = z
	.object({
		raw: z
			.string()
			.regex(/^[^\n]*$/v, 'must not contain a line break (one line per step)'),
	})
	.strict();
const silenceSchema = z
	.object({
		silence_s: z.number().positive({error: 'expected a number above 0'}),
	})
	.strict();
const topSchema = z
	.object({
		steps: z.array(z.unknown()).min(1, {error: 'expected at least one step'}),
		repeat: z.boolean().optional(),
	})
	.strict();

const stepShapes =
	'a reading (temperature_c, voltage_v, ...), raw or silence_s';

/**
 * Parse and validate a scenario file. Throws ScenarioError whose lines read
 * `<source>:<line>:<col>: steps[3].voltage_v: expected a number` (steps counted from 0).
 */
export function parseScenario(text: string, source: string): UserScenario {
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
		throw new ScenarioError(
			document.errors.map(
				(error) =>
					`${at(error.pos[0])}: YAML syntax: ${error.message.split('\n')[0] ?? ''}`,
			),
		);
	}

	let data: unknown;
	try {
		data = document.toJS({maxAliasCount}) ?? {};
	} catch (error) {
		throw new ScenarioError([`${source}: ${messageOf(error)}`]);
	}

	const problems: string[] = [];
	const report = (
		path: Array<string | number>,
		issues: readonly z.core.$ZodIssue[],
		value: unknown,
	) => {
		for (const issue of issues) {
			const full = [
				...path,
				...issue.path.map((key) =>
					typeof key === 'symbol' ? String(key) : key,
				),
			];
			if (issue.code === 'unrecognized_keys') {
				for (const key of issue.keys) {
					problems.push(
						`${at(offset(document, [...full, key], 'key'))}: ${keyName([...full, key])}: unknown key`,
					);
				}

				continue;
			}

			const missing = getIn(value, issue.path) === undefined;
			const message =
				issue.code === 'invalid_type'
					? missing
						? 'required'
						: (typeNames[issue.expected] ?? issue.message)
					: issue.message;
			problems.push(
				`${at(offset(document, full, 'value'))}: ${keyName(full)}: ${message}`,
			);
		}
	};

	if (!isRecord(data)) {
		throw new ScenarioError([
			`${at(offset(document, [], 'value'))}: (top level): expected a mapping with a steps: list`,
		]);
	}

	const top = topSchema.safeParse(data);
	if (!top.success) {
		report([], top.error.issues, data);
		throw new ScenarioError(problems);
	}

	const steps: UserStep[] = [];
	for (const [index, raw] of top.data.steps.entries()) {
		const path = ['steps', index];
		if (!isRecord(raw)) {
			problems.push(
				`${at(offset(document, path, 'value'))}: ${keyName(path)}: expected a mapping: ${stepShapes}`,
			);
			continue;
		}

		const step = parseStep(raw);
		if ('issues' in step) {
			report(path, step.issues, raw);
		} else {
			steps.push(step);
		}
	}

	if (
		problems.length === 0 &&
		top.data.repeat === true &&
		!steps.some((step) => step.kind !== 'silence')
	) {
		problems.push(
			`${at(offset(document, ['repeat'], 'value'))}: repeat: a repeating scenario needs at least one reading or raw step`,
		);
	}

	if (problems.length > 0) {
		throw new ScenarioError(problems);
	}

	return {steps, repeat: top.data.repeat ?? false};
}

const typeNames: Record<string, string> = {
	number: 'expected a number',
	string: 'expected a string',
	boolean: 'expected true or false',
	array: 'expected a list',
	object: 'expected a mapping',
};

function parseStep(
	raw: Record<string, unknown>,
): UserStep | {issues: readonly z.core.$ZodIssue[]} {
	if ('raw' in raw) {
		const result = rawSchema.safeParse(raw);
		return result.success
			? {kind: 'raw', text: result.data.raw}
			: {issues: result.error.issues};
	}

	if ('silence_s' in raw) {
		const result = silenceSchema.safeParse(raw);
		return result.success
			? {kind: 'silence', ms: Math.round(result.data.silence_s * 1000)}
			: {issues: result.error.issues};
	}

	const result = readingSchema.safeParse(raw);
	if (!result.success) {
		return {issues: result.error.issues};
	}

	const {data} = result;
	return {
		kind: 'reading',
		temperatureC: data.temperature_c,
		voltageV: data.voltage_v,
		status: data.status,
		count: data.count ?? 1,
		toTemperatureC: data.to_temperature_c,
		toVoltageV: data.to_voltage_v,
	};
}

function keyName(path: ReadonlyArray<string | number>): string {
	let name = '';
	for (const key of path) {
		name +=
			typeof key === 'number' ? `[${key}]` : name === '' ? key : `.${key}`;
	}

	return name || '(top level)';
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function getIn(value: unknown, path: readonly PropertyKey[]): unknown {
	let current = value;
	for (const key of path) {
		if (typeof current !== 'object' || current === null) {
			return undefined;
		}

		current = Reflect.get(current, key);
	}

	return current;
}

/**
 * Where a key or its value starts in the file. A path that is not in the file (a missing
 * key) points at the nearest enclosing node that is.
 */
function offset(
	document: Document,
	path: ReadonlyArray<string | number>,
	part: 'key' | 'value',
): number | undefined {
	if (path.length === 0) {
		return start(document.contents);
	}

	const parent = document.getIn(path.slice(0, -1), true);
	const last = path.at(-1)!;
	if (isMap(parent)) {
		const pair = parent.items.find(
			(item) => isScalar(item.key) && String(item.key.value) === String(last),
		);
		if (pair) {
			return start(part === 'key' ? pair.key : pair.value) ?? start(pair.key);
		}
	} else if (isSeq(parent) && typeof last === 'number') {
		const found = start(parent.items[last]);
		if (found !== undefined) {
			return found;
		}
	}

	return offset(document, path.slice(0, -1), 'value');
}

function start(node: unknown): number | undefined {
	return isNode(node) ? node.range?.[0] : undefined;
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
