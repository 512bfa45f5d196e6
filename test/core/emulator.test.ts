import {Buffer} from 'node:buffer';
import test from 'ava';
import fc from 'fast-check';
import {defaultConfig, type Config} from '../../source/core/config.js';
import {
	createPrng,
	createScenario,
	parseScenario,
	resolveScenario,
	ScenarioError,
	type EmulatorStep,
	type Scenario,
} from '../../source/core/emulator.js';
import {parseLine, type Reading} from '../helpers/tvs-line.js';

const limits = {
	maxLineBytes: 1024,
	temperatureRangeC: [-273.15, 1000],
	voltageRangeV: [0, 100],
} as const;
const options = {
	seed: 42,
	heartbeatTimeoutS: defaultConfig.thresholds.heartbeat_timeout_s,
	thresholds: defaultConfig.thresholds,
};
const decoder = new TextDecoder();

type LineStep = Extract<EmulatorStep, {kind: 'line'}>;

/** The first count steps. */
function take(
	scenario: Scenario,
	count: number,
	overrides: Partial<typeof options> = {},
): EmulatorStep[] {
	const steps: EmulatorStep[] = [];
	for (const step of createScenario(scenario, {...options, ...overrides})) {
		if (steps.length >= count) {
			break;
		}

		steps.push(step);
	}

	return steps;
}

/** The first count lines, skipping silences. */
function takeLines(scenario: Scenario, count: number): LineStep[] {
	const lines: LineStep[] = [];
	for (const step of createScenario(scenario, options)) {
		if (lines.length >= count) {
			break;
		}

		if (step.kind === 'line') {
			lines.push(step);
		}
	}

	return lines;
}

function serialize(steps: readonly EmulatorStep[]): string[] {
	return steps.map((step) =>
		step.kind === 'line'
			? `${Buffer.from(step.bytes).toString('hex')} ${String(step.valid)}`
			: `silence ${step.ms}`,
	);
}

function reading(step: EmulatorStep): Reading | undefined {
	if (step.kind !== 'line') {
		return undefined;
	}

	const result = parseLine(step.bytes, limits);
	return result.ok ? result.reading : undefined;
}

function readings(steps: readonly EmulatorStep[]): Reading[] {
	return steps.flatMap((step) => reading(step) ?? []);
}

function text(step: EmulatorStep): string {
	return step.kind === 'line'
		? decoder.decode(step.bytes)
		: `silence ${step.ms}`;
}

test('createPrng is deterministic and stays in [0, 1)', (t) => {
	const a = createPrng(7);
	const b = createPrng(7);
	const c = createPrng(8);
	const fromA = Array.from({length: 1000}, a);
	t.deepEqual(fromA, Array.from({length: 1000}, b));
	t.notDeepEqual(fromA, Array.from({length: 1000}, c));
	t.true(fromA.every((value) => value >= 0 && value < 1));
});

test('mixed: the same seed gives the same bytes, another seed others', (t) => {
	const first = serialize(take({name: 'mixed'}, 2000));
	t.is(first.length, 2000);
	t.deepEqual(first, serialize(take({name: 'mixed'}, 2000)));
	t.notDeepEqual(first, serialize(take({name: 'mixed'}, 2000, {seed: 43})));
});

test('mixed: about 1% corrupted lines, and valid says exactly which parse', (t) => {
	const lines = takeLines({name: 'mixed'}, 10_000);
	const disagreements = lines.flatMap((line) => {
		const result = parseLine(line.bytes, limits);
		return result.ok === line.valid
			? []
			: [
					`valid=${String(line.valid)}, parseLine: ${result.ok ? 'ok' : result.reason}: ${Buffer.from(line.bytes).toString('hex')}`,
				];
	});
	t.deepEqual(disagreements, []);

	const invalid = lines.filter((line) => !line.valid).length;
	t.true(invalid >= 50 && invalid <= 200, `${invalid} invalid lines`);
	t.false(
		lines.some((line) => line.bytes.includes(0x0a)),
		'a line break inside a line',
	);
});

test('mixed: corrupted lines include non-UTF-8 bytes and control characters', (t) => {
	const corrupted = takeLines({name: 'mixed'}, 10_000).filter(
		(line) => !line.valid,
	);
	t.true(corrupted.some((line) => line.bytes.some((byte) => byte >= 0x80)));
	t.true(
		corrupted.some((line) =>
			line.bytes.some((byte) => byte < 0x20 || byte === 0x7f),
		),
	);
});

test('mixed: prints temperatures with 1-2 decimals and voltages with 2', (t) => {
	const badlyPrinted = takeLines({name: 'mixed'}, 2000)
		.filter((line) => line.valid)
		.map((line) => text(line))
		.filter((line) => !/^T:-?\d+\.\d{1,2},V:\d+\.\d{2},S:[A-Z_]+$/v.test(line));
	t.deepEqual(badlyPrinted, []);
});

// Seed 42 over 10 000 lines (about 17 minutes at 10 Hz); another seed may need a longer run.
test('mixed: passes through every level, rapid swings and a heartbeat-length silence', (t) => {
	const steps = take({name: 'mixed'}, 10_000);
	const values = readings(steps);
	const levels = new Set(values.map((value) => value.level));
	const swings = values
		.slice(1)
		.filter(
			(value, index) =>
				Math.abs(value.temperature - values[index]!.temperature) >
				defaultConfig.thresholds.temperature.max_change_c,
		);

	t.deepEqual([...levels].toSorted(), [
		'CRITICAL',
		'NORMAL',
		'OFFLINE',
		'WARNING',
	]);
	t.true(swings.length > 0);
	t.true(
		steps.some(
			(step) =>
				step.kind === 'silence' && step.ms > options.heartbeatTimeoutS * 1000,
		),
	);
});

function expectedStatus(value: Reading): string {
	const {temperature, voltage} = defaultConfig.thresholds;
	if (value.voltage > voltage.max_v) {
		return 'CRITICAL_OVERVOLT';
	}

	if (value.voltage < voltage.min_v) {
		return 'CRITICAL_UNDERVOLT';
	}

	if (value.temperature > temperature.max_c) {
		return 'CRITICAL_TEMP';
	}

	return value.temperature > temperature.warn_c! ? 'WARNING_TEMP' : 'NORMAL';
}

test('mixed: a device status always agrees with its values', (t) => {
	const disagreements = readings(take({name: 'mixed'}, 10_000)).filter(
		(value) =>
			value.level !== 'OFFLINE' && value.status !== expectedStatus(value),
	);
	t.deepEqual(disagreements, []);
});

test('failure: the forced sequence, in order', (t) => {
	const steps = [...createScenario({name: 'failure'}, options)];
	const lines = steps.filter((step) => step.kind === 'line');
	const valid = readings(steps);

	t.is(lines.length, 46);
	t.is(valid.length, 35);
	const corrupted = lines
		.filter((line) => !line.valid)
		.map((line) => text(line));
	t.is(
		corrupted.length,
		options.thresholds.parse_errors.max_per_min + 1,
		'one more corrupted line than the parse-error rate allows: it fires',
	);
	t.deepEqual(corrupted.slice(0, 4), [
		'T:25.1,V:5.0',
		'T:abc,V:5.0,S:NORMAL',
		'V:5.0,S:NORMAL',
		'T:25.1,V:,S:NORMAL',
	]);
	t.is(Math.max(...valid.map((value) => value.temperature)), 95.5);
	t.true(
		valid.some(
			(value) => value.voltage === 6.1 && value.status === 'CRITICAL_VOLTAGE',
		),
	);
	t.true(valid.some((value) => value.status === 'WARNING_TEMP'));
	t.true(valid.some((value) => value.status === 'CRITICAL_TEMP'));
	t.deepEqual(
		valid
			.filter((value) => value.status === 'NORMAL' && value.temperature > 80)
			.map((value) => value.temperature),
		[88.5],
		'one status mismatch, just before the peak',
	);

	const rapid = valid
		.slice(1)
		.map((value, index) => value.temperature - valid[index]!.temperature)
		.filter((change) => Math.abs(change) > 15);
	t.deepEqual(rapid, [-70.5], 'only the drop is a rapid change');

	t.deepEqual(
		steps.filter((step) => step.kind === 'silence'),
		[{kind: 'silence', ms: 8000}],
	);
	const silenceIndex = steps.findIndex((step) => step.kind === 'silence');
	t.is(
		text(steps[silenceIndex - 1]!),
		'T:25.0,V:5.00,S:NORMAL',
		'after the drop',
	);

	const recovery = readings(steps.slice(silenceIndex + 1));
	t.is(recovery.length, 10);
	t.true(
		recovery.every(
			(value) =>
				value.status === 'NORMAL' &&
				Math.abs(value.temperature - 25) < 0.5 &&
				Math.abs(value.voltage - 5) < 0.05,
		),
	);
	t.is(steps.length, silenceIndex + 11, 'recovery ends the run');
});

test('failure: deterministic for a seed, silence follows the heartbeat timeout', (t) => {
	const run = (seed: number, heartbeatTimeoutS = 5) =>
		serialize([
			...createScenario(
				{name: 'failure'},
				{...options, seed, heartbeatTimeoutS},
			),
		]);
	t.deepEqual(run(1), run(1));
	t.notDeepEqual(run(1), run(2));
	t.true(run(1, 2).includes('silence 3500'));
});

function withTemperature(
	temperature: Partial<Config['thresholds']['temperature']>,
): Config['thresholds'] {
	return {
		...defaultConfig.thresholds,
		temperature: {...defaultConfig.thresholds.temperature, ...temperature},
	};
}

test('failure: a smaller max_change_c gives a longer ramp without rapid changes', (t) => {
	const thresholds = withTemperature({max_change_c: 5});
	const valid = readings([
		...createScenario({name: 'failure'}, {...options, thresholds}),
	]);
	const rapid = valid
		.slice(1)
		.filter(
			(value, index) =>
				Math.abs(value.temperature - valid[index]!.temperature) > 5,
		);
	t.is(rapid.length, 1);
	t.is(Math.max(...valid.map((value) => value.temperature)), 95.5);
});

/** What is wrong with one normal reading, if anything. */
function normalReadingProblem(
	value: Reading | undefined,
	previous: number | undefined,
	thresholds: Config['thresholds'],
): string | undefined {
	const {temperature, voltage} = thresholds;
	const ceiling = Math.min(
		temperature.warn_c ?? temperature.max_c,
		temperature.max_c,
	);
	if (value === undefined) {
		return 'not a valid reading';
	}

	if (value.status !== 'NORMAL') {
		return 'status is not NORMAL';
	}

	if (value.temperature >= ceiling) {
		return 'temperature alarm';
	}

	if (value.voltage <= voltage.min_v || value.voltage >= voltage.max_v) {
		return 'voltage alarm';
	}

	if (
		previous !== undefined &&
		Math.abs(value.temperature - previous) > temperature.max_change_c / 2
	) {
		return 'step above half of max_change_c';
	}

	return undefined;
}

/** What is wrong with the first count steps of normal under these thresholds, if anything. */
function normalProblem(
	thresholds: Config['thresholds'],
	seed: number,
	count: number,
): string | undefined {
	let previous: number | undefined;
	for (const step of take({name: 'normal'}, count, {seed, thresholds})) {
		const value =
			step.kind === 'line' && step.valid ? reading(step) : undefined;
		const problem = normalReadingProblem(value, previous, thresholds);
		if (problem) {
			return `${problem}: ${text(step)} after ${previous}`;
		}

		previous = value?.temperature;
	}

	return undefined;
}

test('normal: never breaches the default thresholds', (t) => {
	t.is(normalProblem(defaultConfig.thresholds, 42, 20_000), undefined);
});

test('normal: never breaches any sensible thresholds', (t) => {
	const thresholds = fc
		.record({
			maxC: fc.double({min: -50, max: 200, noNaN: true}),
			warnBelow: fc.option(fc.double({min: 1, max: 100, noNaN: true})),
			maxChangeC: fc.double({min: 0.1, max: 50, noNaN: true}),
			minV: fc.double({min: 0, max: 50, noNaN: true}),
			bandV: fc.double({min: 0.1, max: 10, noNaN: true}),
		})
		.map(
			({maxC, warnBelow, maxChangeC, minV, bandV}): Config['thresholds'] => ({
				...withTemperature({
					max_c: maxC,
					warn_c: warnBelow === null ? null : maxC - warnBelow,
					max_change_c: maxChangeC,
				}),
				voltage: {
					...defaultConfig.thresholds.voltage,
					min_v: minV,
					max_v: minV + bandV,
				},
			}),
		);
	t.notThrows(() => {
		fc.assert(
			fc.property(fc.integer(), thresholds, (seed, chosen) => {
				const problem = normalProblem(chosen, seed, 300);
				if (problem) {
					throw new Error(problem);
				}
			}),
			{numRuns: 200},
		);
	});
});

const goodScenario = `# a user scenario
steps:
  - {temperature_c: 25, voltage_v: 5, status: NORMAL, count: 3}
  - temperature_c: 30
    voltage_v: 5
    count: 5
    to_temperature_c: 90
    to_voltage_v: 5.2
  - raw: "T:??,garbage"
  - silence_s: 1.5
repeat: true
`;

test('parseScenario: reads readings, ramps, raw lines, silences and repeat', (t) => {
	const parsed = parseScenario(goodScenario, 'good.yaml');
	t.true(parsed.repeat);
	t.deepEqual(parsed.steps, [
		{
			kind: 'reading',
			temperatureC: 25,
			voltageV: 5,
			status: 'NORMAL',
			count: 3,
			toTemperatureC: undefined,
			toVoltageV: undefined,
		},
		{
			kind: 'reading',
			temperatureC: 30,
			voltageV: 5,
			status: undefined,
			count: 5,
			toTemperatureC: 90,
			toVoltageV: 5.2,
		},
		{kind: 'raw', text: 'T:??,garbage'},
		{kind: 'silence', ms: 1500},
	]);

	const steps = take({name: 'file', ...parsed}, 20);
	t.deepEqual(
		steps.slice(0, 11).map((step) => text(step)),
		[
			'T:25.0,V:5.00,S:NORMAL',
			'T:25.0,V:5.00,S:NORMAL',
			'T:25.0,V:5.00,S:NORMAL',
			'T:30.0,V:5.00,S:NORMAL',
			'T:45.0,V:5.05,S:NORMAL',
			'T:60.0,V:5.10,S:NORMAL',
			// Status left out: the device's own, from the thresholds.
			'T:75.0,V:5.15,S:WARNING_TEMP',
			'T:90.0,V:5.20,S:CRITICAL_TEMP',
			'T:??,garbage',
			'silence 1500',
			// With repeat: true it starts over.
			'T:25.0,V:5.00,S:NORMAL',
		],
	);
	t.deepEqual(
		steps.slice(0, 9).map((step) => step.kind === 'line' && step.valid),
		[true, true, true, true, true, true, true, true, false],
	);
});

test('parseScenario: an error names the file, line, column and key', (t) => {
	const yaml = `steps:
  - {temperature_c: 25, voltage_v: 5}
  - {temperature_c: 25, voltage_v: 5}
  - silence_s: 2
  - temperature_c: 25
    voltage_v: five
`;
	const error = t.throws(() => parseScenario(yaml, 'bad.yaml'), {
		instanceOf: ScenarioError,
	});
	t.is(
		error?.message,
		'bad.yaml:6:16: steps[3].voltage_v: expected a number, got "five"',
	);
});

test('parseScenario: reports every problem, each with its place', (t) => {
	const yaml = [
		'steps:',
		'  - {temperature_c: 25}',
		'  - {temperature_c: 25, voltage_v: 5, colour: red}',
		'  - silence_s: -1',
		'  - 42',
		'  - {temperature_c: 25, voltage_v: 5, count: 2.5}',
		String.raw`  - {raw: "a\nb"}`,
	].join('\n');
	const error = t.throws<ScenarioError>(() => parseScenario(yaml, 's.yaml'), {
		instanceOf: ScenarioError,
	});
	t.deepEqual(error?.problems, [
		's.yaml:2:5: steps[0].voltage_v: required',
		's.yaml:3:39: steps[1].colour: unknown key',
		's.yaml:4:16: steps[2].silence_s: expected a number above 0',
		's.yaml:5:5: steps[3]: expected a mapping: a reading (temperature_c, voltage_v, ...), raw or silence_s',
		's.yaml:6:46: steps[4].count: expected a whole number, got 2.5',
		's.yaml:7:11: steps[5].raw: must not contain a line break (one line per step)',
	]);
});

function problemOf(yaml: string, source: string): string {
	try {
		parseScenario(yaml, source);
		return '(no error)';
	} catch (error) {
		return error instanceof ScenarioError ? error.message : String(error);
	}
}

test('parseScenario: rejects bad YAML, a missing steps list, and a repeat without lines', (t) => {
	t.regex(
		problemOf('steps: [\n', 'a.yaml'),
		/^a\.yaml:\d+:\d+: YAML syntax: /v,
	);
	t.is(problemOf('repeat: true\n', 'b.yaml'), 'b.yaml:1:1: steps: required');
	t.is(
		problemOf('- 1\n', 'c.yaml'),
		'c.yaml:1:1: (top level): expected a mapping with a steps: list',
	);
	t.is(
		problemOf('steps:\n  - silence_s: 1\nrepeat: true\n', 'd.yaml'),
		'd.yaml:3:9: repeat: a repeating scenario needs at least one reading or raw step',
	);
	t.is(
		problemOf('steps: []\nextra: 1\n', 'e.yaml'),
		'e.yaml:1:8: steps: expected at least one step\ne.yaml:2:1: extra: unknown key',
	);
});

test('parseScenario: limits alias expansion', (t) => {
	const bomb = [
		'a: &a [x, x, x, x, x, x, x, x, x, x]',
		'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
		'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
		'steps: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
	].join('\n');
	t.regex(
		problemOf(bomb, 'bomb.yaml'),
		/^bomb\.yaml:3:20: alias \*b expands too often/v,
	);
});

function resolveProblem(nameOrPath: string, content?: string): string {
	try {
		resolveScenario(nameOrPath, () => {
			if (content === undefined) {
				throw Object.assign(new Error('ENOENT: no such file'), {
					code: 'ENOENT',
				});
			}

			return content;
		});
		return '(no error)';
	} catch (error) {
		return error instanceof ScenarioError ? error.message : String(error);
	}
}

test('resolveScenario: built-in names, files, and a clear error for neither', (t) => {
	const noFile = (): string => {
		throw new Error('no file expected');
	};

	t.deepEqual(resolveScenario('failure', noFile), {name: 'failure'});
	t.deepEqual(resolveScenario('mixed', noFile), {name: 'mixed'});
	t.deepEqual(resolveScenario('normal', noFile), {name: 'normal'});

	const read: string[] = [];
	const scenario = resolveScenario('my.yaml', (path) => {
		read.push(path);
		return goodScenario;
	});
	t.deepEqual(read, ['my.yaml']);
	t.is(scenario.name, 'file');

	t.is(
		resolveProblem('typo'),
		"scenario 'typo' is neither a built-in scenario (mixed, normal, failure) nor an existing file",
	);
	t.is(
		resolveProblem(
			'bad.yaml',
			'steps:\n  - {temperature_c: x, voltage_v: 5}\n',
		),
		'bad.yaml:2:21: steps[0].temperature_c: expected a number, got "x"',
	);
});
