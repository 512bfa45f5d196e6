// file: a scenario from a user's YAML file, its validation, and the steps it plays.
import {z} from 'zod';
import {defaultConfig, protocolLimits} from '../config.js';
import {InputError} from '../input-error.js';
import {isPlainObject} from '../plain-object.js';
import {compileCodec} from '../codec.js';
import {builtinProfile} from '../device-profile.js';
import {issueProblems, problemAt, readYaml} from '../yaml-source.js';
import {deviceStatus, formatDeviceLine, round} from './device-line.js';
import type {EmulatorStep, ScenarioOptions} from './step.js';

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

/** A scenario that cannot be used; `problems` lines read `<source>:<line>:<col>: <key>: <problem>`. */
export class ScenarioError extends InputError {
	constructor(problems: string[]) {
		super('scenario', problems);
		this.name = 'ScenarioError';
	}
}

// A raw line's `valid` is what the protocol says with its default limits; the emulator
// itself has no opinion about text the user wrote.
const defaultLimits = protocolLimits(defaultConfig);
// A raw line is valid where the built-in device's codec reads it as a reading.
const builtinCodec = compileCodec(
	builtinProfile(defaultLimits),
	defaultLimits.maxLineBytes,
);
const encoder = new TextEncoder();

export function* fileScenario(
	scenario: UserScenario,
	options: ScenarioOptions,
): Generator<EmulatorStep> {
	const userLine = (text: string): EmulatorStep => {
		const bytes = encoder.encode(text);
		return {kind: 'line', bytes, valid: builtinCodec.parse(bytes).ok === true};
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
		count: z.number().int().min(1, {error: 'expected 1 or more'}).optional(),
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
 * `<source>:<line>:<col>: steps[3].voltage_v: expected a number, got "five"` (steps counted
 * from 0).
 */
export function parseScenario(text: string, source: string): UserScenario {
	const yaml = readYaml(text, source);
	if (!yaml.ok) {
		throw new ScenarioError(yaml.problems);
	}

	const {data, locate} = yaml;
	if (!isPlainObject(data)) {
		throw new ScenarioError([
			problemAt(locate, [], 'expected a mapping with a steps: list'),
		]);
	}

	const top = topSchema.safeParse(data);
	if (!top.success) {
		throw new ScenarioError(issueProblems(top.error.issues, locate, data));
	}

	const problems: string[] = [];
	const steps: UserStep[] = [];
	for (const [index, raw] of top.data.steps.entries()) {
		const path = ['steps', index];
		if (!isPlainObject(raw)) {
			problems.push(
				problemAt(locate, path, `expected a mapping: ${stepShapes}`),
			);
			continue;
		}

		const step = parseStep(raw);
		if ('issues' in step) {
			problems.push(...issueProblems(step.issues, locate, raw, path));
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
			problemAt(
				locate,
				['repeat'],
				'a repeating scenario needs at least one reading or raw step',
			),
		);
	}

	if (problems.length > 0) {
		throw new ScenarioError(problems);
	}

	return {steps, repeat: top.data.repeat ?? false};
}

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
