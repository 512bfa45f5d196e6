import {Buffer} from 'node:buffer';
import test from 'ava';
import fc from 'fast-check';
import {loadConfig} from '../../source/adapters/config-file.js';
import {compileCodec} from '../../source/core/codec.js';
import {detectorSettings} from '../../source/core/config.js';
import {createDetector} from '../../source/core/detector.js';
import type {
	DeviceProfile,
	NumberField,
	Reading,
} from '../../source/core/device-profile.js';
import {
	createScenario,
	resolveScenario,
	ScenarioError,
	type EmulatorStep,
} from '../../source/core/emulator.js';
import type {
	BandRuleSpec,
	DetectorSettings,
	OutsideRuleSpec,
	RuleSpec,
} from '../../source/core/rule-spec.js';
import type {IncidentEvent} from '../../source/core/incident.js';
import {templateFromPattern} from '../../source/core/scenarios/profile-line.js';

const examples = ['arduino-plotter', 'dht22', 'esp32-json', 'csv'] as const;
const rateHz = 10;

function exampleSettings(name: string): DetectorSettings {
	const warnings: string[] = [];
	const settings = detectorSettings(
		loadConfig(`examples/${name}.yaml`, (warning) => {
			warnings.push(warning);
		}),
	);
	if (warnings.length > 0) {
		throw new Error(`examples/${name}.yaml warns: ${warnings.join('; ')}`);
	}

	return settings;
}

function tour(settings: DetectorSettings, seed = 42): EmulatorStep[] {
	return [
		...createScenario(
			{name: 'tour', settings},
			{
				seed,
				heartbeatTimeoutS: settings.heartbeat_timeout_s,
				// The tour reads its settings, not the T/V/S thresholds.
				thresholds: loadConfig('config.yaml').thresholds,
				rateHz,
			},
		),
	];
}

/** What the tour sends, as the monitor's codec reads it: readings, errors, headers and silences. */
type Played =
	| {kind: 'reading'; reading: Reading; text: string}
	| {kind: 'error'; text: string}
	| {kind: 'ignored'; text: string}
	| {kind: 'silence'; ms: number};

function play(
	settings: DetectorSettings,
	steps: readonly EmulatorStep[],
): {played: Played[]; disagreements: string[]} {
	const codec = compileCodec(settings.profile, 1024);
	const disagreements: string[] = [];
	const played = steps.map((step): Played => {
		if (step.kind === 'silence') {
			return step;
		}

		const text = Buffer.from(step.bytes).toString('latin1');
		const result = codec.parse(step.bytes);
		if ((result.ok !== false) !== step.valid) {
			disagreements.push(
				`valid=${String(step.valid)} but ${result.ok === false ? result.reason : String(result.ok)}: ${text}`,
			);
		}

		return result.ok === true
			? {kind: 'reading', reading: result.reading, text}
			: {kind: result.ok === false ? 'error' : 'ignored', text};
	});
	return {played, disagreements};
}

type Level = {
	value: number;
	clearAt: number;
	side: 'high' | 'low';
};

function levels(rule: BandRuleSpec | OutsideRuleSpec): Level[] {
	const m = rule.clear_margin;
	if (rule.kind === 'outside') {
		return [
			{value: rule.high, clearAt: rule.high - m, side: 'high'},
			{value: rule.low, clearAt: rule.low + m, side: 'low'},
		];
	}

	return [rule.warn, rule.crit].flatMap((value) =>
		value === null
			? []
			: [
					rule.kind === 'above'
						? {value, clearAt: value - m, side: 'high' as const}
						: {value, clearAt: value + m, side: 'low' as const},
				],
	);
}

/** A number field's value in a reading (NaN where the field holds no number). */
function numberAt(reading: Reading, field: number): number {
	const value = reading.values[field];
	return typeof value === 'number' ? value : Number.NaN;
}

/** The text of a line step. */
function lineText(step: EmulatorStep | undefined): string {
	return step?.kind === 'line' ? Buffer.from(step.bytes).toString() : '';
}

const past = (value: number, level: Level) =>
	level.side === 'high' ? value > level.value : value < level.value;
const clear = (value: number, level: Level) =>
	level.side === 'high' ? value <= level.clearAt : value >= level.clearAt;

/**
 * Which declared rules the played lines walk, judged by hand from the rules' definitions
 * (at rateHz lines a second): what is missing, or [] when every rule fires and resolves.
 */
function unwalked(settings: DetectorSettings, played: Played[]): string[] {
	const {profile, rules} = settings;
	const readings = played.flatMap((item) =>
		item.kind === 'reading' ? [item.reading] : [],
	);
	const index = (name: string) =>
		profile.fields.findIndex((field) => field.name === name);
	const value = numberAt;
	const missing: string[] = [];
	const bandBreached = (reading: Reading) =>
		rules.some(
			(rule) =>
				(rule.kind === 'above' ||
					rule.kind === 'below' ||
					rule.kind === 'outside') &&
				levels(rule).some((level) =>
					past(value(reading, index(rule.field)), level),
				),
		);

	for (const rule of rules) {
		const field = index(rule.field);
		switch (rule.kind) {
			case 'above':
			case 'below':
			case 'outside': {
				for (const level of levels(rule)) {
					// A run past the level that outlasts for_s, then a reading clear of it.
					let run = 0;
					let longest = 0;
					let clearedAfter = false;
					for (const reading of readings) {
						const v = value(reading, field);
						run = past(v, level) ? run + 1 : 0;
						longest = Math.max(longest, run);
						clearedAfter ||=
							longest > (rule.for_s + 1) * rateHz && clear(v, level);
					}

					if (!clearedAfter) {
						missing.push(`${rule.type} past ${level.value}`);
					}
				}

				break;
			}

			case 'change': {
				const limit = rule.per === 'second' ? rule.max / rateHz : rule.max;
				const fired = readings.some(
					(reading, at) =>
						at > 0 &&
						Math.abs(value(reading, field) - value(readings[at - 1]!, field)) >
							limit,
				);
				if (!fired) {
					missing.push(rule.type);
				}

				break;
			}

			case 'status': {
				const statusField = profile.fields[field];
				for (const match of statusField?.type === 'status'
					? statusField.levels
					: []) {
					if (
						!readings.some((reading) =>
							String(reading.values[field]).startsWith(match.value),
						)
					) {
						missing.push(`${rule.type} ${match.value}`);
					}
				}

				break;
			}

			case 'predict': {
				// Judged by the detector in its own test below.
				break;
			}

			case 'mismatch': {
				if (
					!readings.some(
						(reading) => reading.level === 'NORMAL' && bandBreached(reading),
					)
				) {
					missing.push(rule.type);
				}

				break;
			}
		}
	}

	let errorRun = 0;
	let run = 0;
	for (const item of played) {
		run = item.kind === 'error' ? run + 1 : 0;
		errorRun = Math.max(errorRun, run);
	}

	if (errorRun <= settings.parse_errors.max_per_min) {
		missing.push('PARSE_ERROR_RATE');
	}

	if (
		!played.some(
			(item, at) =>
				item.kind === 'silence' &&
				item.ms > settings.heartbeat_timeout_s * 1000 &&
				played.slice(at).some((later) => later.kind === 'reading'),
		)
	) {
		missing.push('HEARTBEAT_LOSS');
	}

	const last = readings.at(-1)!;
	if (bandBreached(last) || last.level !== 'NORMAL') {
		missing.push('a calm end');
	}

	return missing;
}

for (const name of examples) {
	test(`tour of examples/${name}.yaml: every line parses as its step says, and every rule fires and resolves`, (t) => {
		const settings = exampleSettings(name);
		const steps = tour(settings);
		const {played, disagreements} = play(settings, steps);
		t.deepEqual(disagreements, []);
		t.deepEqual(unwalked(settings, played), []);
		// The burst comes first: the rate it raises falls back only a minute later.
		const seconds =
			steps.filter((step) => step.kind === 'line').length / rateHz;
		t.true(seconds > 65, `${seconds} s`);
	});
}

test('tour: the same seed gives the same bytes, another seed others', (t) => {
	const settings = exampleSettings('esp32-json');
	const bytes = (seed: number) =>
		tour(settings, seed).map((step) =>
			step.kind === 'line'
				? Buffer.from(step.bytes).toString('hex')
				: `silence ${step.ms}`,
		);
	t.deepEqual(bytes(7), bytes(7));
	t.notDeepEqual(bytes(7), bytes(8));
});

test('tour of a CSV device with a header: the header first, and again after the silence', (t) => {
	const settings = exampleSettings('csv');
	const profile: DeviceProfile = {
		...settings.profile,
		format: {type: 'csv', separator: ';', header: true},
		fields: settings.profile.fields.map((field) => ({
			...field,
			key: field.name,
		})),
	};
	const steps = tour({...settings, profile});
	const texts = steps.map((step) =>
		step.kind === 'line' ? Buffer.from(step.bytes).toString() : 'silence',
	);
	t.is(texts[0], 'temperature;humidity;pressure');
	t.is(texts[texts.indexOf('silence') + 1], 'temperature;humidity;pressure');
	t.regex(texts[1]!, /^\d+\.\d\d;\d+\.\d;\d+\.\d$/v);
	const {played, disagreements} = play({...settings, profile}, steps);
	t.deepEqual(disagreements, []);
	t.is(played.filter((item) => item.kind === 'ignored').length, 2);
	t.deepEqual(unwalked({...settings, profile}, played), []);
});

test('tour of the built-in device prints T/V/S lines that walk its thresholds', (t) => {
	const settings = detectorSettings(loadConfig('config.yaml'));
	const steps = tour(settings);
	// The calm temperature keeps from warn_c (70) what it keeps from 0.
	t.regex(lineText(steps[0]), /^T:3[45]\.\d\d,V:[45]\.\d\d,S:NORMAL$/v);
	const {played, disagreements} = play(settings, steps);
	t.deepEqual(disagreements, []);
	t.deepEqual(unwalked(settings, played), []);
});

test('a regex device: a template is read off a simple pattern, a complex one needs template:', (t) => {
	t.is(
		templateFromPattern(String.raw`^T=(?<t>-?\d+\.\d+)\s+H=(?<h>[\d.]+)\%$`),
		'T={t} H={h}%',
	);
	const settings = exampleSettings('dht22');
	const noTemplate = {
		...settings,
		profile: {...settings.profile, template: undefined},
	};
	const error = t.throws(() => resolveScenario('tour', () => '', noTemplate), {
		instanceOf: ScenarioError,
	});
	t.regex(error.message, /declare the device's template/v);

	const wrong = {
		...settings,
		profile: {
			...settings.profile,
			template: 'Humidity {humidity} {temperature} {heat_index}',
		},
	};
	const mismatched = t.throws(() => resolveScenario('tour', () => '', wrong));
	t.regex(mismatched.message, /does not match the pattern: Humidity \d/v);
	const unknown = t.throws(() =>
		resolveScenario('tour', () => '', {
			...settings,
			profile: {...settings.profile, template: '{humidity} {nope}'},
		}),
	);
	t.regex(unknown.message, /\{nope\} is no field's key/v);
});

test('the DHT tour prints °F as the °C value converted, with its decimals', (t) => {
	const [first] = tour(exampleSettings('dht22'));
	const text = lineText(first);
	const match =
		/^Humidity: \d+\.\d\d% {2}Temperature: (?<c>-?\d+\.\d\d)°C (?<f>-?\d+\.\d\d)°F {2}Heat index: -?\d+\.\d\d°C -?\d+\.\d\d°F$/v.exec(
			text,
		);
	t.truthy(match, `no DHT line: ${text}`);
	t.is(
		match!.groups!['f'],
		(Number(match!.groups!['c']) * 1.8 + 32).toFixed(2),
	);
});

// Declared devices of every format but regex, with random fields, ranges and band rules.
const arbitrarySettings = fc
	.record({
		format: fc.constantFrom('pairs', 'json', 'csv'),
		fields: fc.array(
			fc.record({
				low: fc.integer({min: -1000, max: 900}),
				width: fc.integer({min: 20, max: 2000}),
				decimals: fc.integer({min: 0, max: 3}),
				// Where the rule's level sits in the range, and which rule it is.
				at: fc.double({min: 0.3, max: 0.7, noNaN: true}),
				rule: fc.constantFrom('above', 'below', 'outside', 'none'),
				// A change limit, as a share of the range's width (the tour jumps 1.5 times it).
				change: fc.option(fc.double({min: 0.02, max: 0.3, noNaN: true})),
				forS: fc.constantFrom(0, 1),
			}),
			{minLength: 1, maxLength: 4},
		),
	})
	.map(({format, fields}): DetectorSettings => {
		const profileFields: NumberField[] = fields.map((field, index) => ({
			type: 'number',
			name: `f${index}`,
			key: format === 'csv' ? String(index + 1) : `k${index}`,
			label: `F${index}`,
			unit: '',
			range: [field.low, field.low + field.width],
			decimals: field.decimals,
			optional: false,
			metric: undefined,
		}));
		const rules: RuleSpec[] = fields.flatMap((field, index): RuleSpec[] => {
			const level = field.low + field.width * field.at;
			const base = {field: `f${index}`, for_s: field.forS, clear_margin: 1};
			const band: RuleSpec[] =
				field.rule === 'above'
					? [
							{
								...base,
								kind: 'above',
								type: `A${index}`,
								warn: level,
								crit: level + field.width / 10,
							},
						]
					: field.rule === 'below'
						? [
								{
									...base,
									kind: 'below',
									type: `B${index}`,
									warn: level,
									crit: null,
								},
							]
						: field.rule === 'outside'
							? [
									{
										...base,
										kind: 'outside',
										type: `O${index}`,
										low: level - field.width / 10,
										high: level + field.width / 10,
										severity: 'WARNING',
									},
								]
							: [];
			return field.change === null
				? band
				: [
						...band,
						{
							kind: 'change',
							type: `C${index}`,
							field: `f${index}`,
							// A printed unit never breaks it: a device that prints whole degrees
							// cannot change by less than one.
							max: Math.max(
								field.change * field.width,
								5 * 10 ** -field.decimals,
							),
							per: 'reading',
						},
					];
		});
		return {
			profile: {
				name: 'random',
				builtin: false,
				format:
					format === 'pairs'
						? {type: 'pairs', assign: ':', separators: ','}
						: format === 'csv'
							? {type: 'csv', separator: ',', header: false}
							: {type: 'json'},
				unknownKeys: 'ignore',
				fields: profileFields,
			},
			rules,
			heartbeat_timeout_s: 5,
			parse_errors: {max_per_min: 10},
		};
	});

test('property: every line a tour calls valid parses, within its fields ranges, and its calm start fires no band', (t) => {
	t.notThrows(() => {
		fc.assert(
			fc.property(arbitrarySettings, fc.nat(), (settings, seed) => {
				const {played, disagreements} = play(settings, tour(settings, seed));

				const readings = played.flatMap((item) =>
					item.kind === 'reading' ? [item.reading] : [],
				);
				const inRange = readings.every((reading) =>
					settings.profile.fields.every((field, index) => {
						const value = numberAt(reading, index);
						return (
							field.type === 'number' &&
							value >= field.range[0] &&
							value <= field.range[1]
						);
					}),
				);
				// The first 3 s, before the burst: the device's normal.
				const calmStart = readings.slice(0, 3 * rateHz);
				const calm = calmStart.every((reading) =>
					settings.rules.every(
						(rule) =>
							(rule.kind !== 'above' &&
								rule.kind !== 'below' &&
								rule.kind !== 'outside') ||
							levels(rule).every((level) =>
								clear(numberAt(reading, Number(rule.field.slice(1))), level),
							),
					),
				);
				const problems = [
					...disagreements,
					...(inRange ? [] : ['a reading out of its range']),
					...(calm ? [] : ['a band fired in the calm start']),
					...unwalked(settings, played),
				];
				if (problems.length > 0) {
					throw new Error(problems.join('\n'));
				}
			}),
			{numRuns: 60},
		);
	});
});

test('tour of a declared predict rule: a slow ramp fires the prediction before the band is crossed, and levelling off resolves it', (t) => {
	const base = exampleSettings('csv');
	const predict: RuleSpec = {
		kind: 'predict',
		type: 'PREDICTED_BREACH_TEMPERATURE',
		field: 'temperature',
		window_s: 60,
		horizon_s: 120,
		min_readings: 5,
		above: 35,
		below: null,
	};
	const settings = {...base, rules: [...base.rules, predict]};
	const steps = tour(settings);
	const {played, disagreements} = play(settings, steps);
	t.deepEqual(disagreements, []);
	t.deepEqual(unwalked(settings, played), []);
	// The lines as the monitor would see them at rateHz, silences included.
	const detector = createDetector(settings);
	const start = Date.parse('2026-11-24T10:00:00.000Z');
	let ms = 0;
	const events: IncidentEvent[] = [];
	const temperature = settings.profile.fields.findIndex(
		(field) => field.name === 'temperature',
	);
	let maxWhilePredicted = Number.NEGATIVE_INFINITY;
	for (const [line, item] of played.entries()) {
		if (item.kind === 'silence') {
			ms += item.ms;
			events.push(...detector.tick(start + ms));
			continue;
		}

		ms += 1000 / rateHz;
		events.push(
			...(item.kind === 'reading'
				? detector.observeReading(start + ms, line + 1, item.reading)
				: item.kind === 'error'
					? detector.observeError(start + ms, line + 1, item.text)
					: detector.observeIgnored(start + ms, line + 1)),
		);
		if (
			detector.predictions(start + ms).length > 0 &&
			item.kind === 'reading'
		) {
			maxWhilePredicted = Math.max(
				maxWhilePredicted,
				numberAt(item.reading, temperature),
			);
		}
	}

	const predicted = events.filter(
		({incident}) => incident.type === 'PREDICTED_BREACH_TEMPERATURE',
	);
	// The band walks' quick rises may be predicted too; the ramp is the last one, and it
	// ends without a crossing.
	const fire = predicted.findLastIndex(({event}) => event === 'fired');
	const ramp = predicted.slice(fire);
	t.is(ramp.at(-1)?.event, 'resolved');
	t.true(ramp.slice(1, -1).every(({event}) => event === 'worsened'));
	t.regex(
		ramp[0]!.incident.description,
		/^Temperature \d+\.\d\d°C rising \d+\.\d\d°C\/min; reaches 35\.0°C in about \d+ min\.$/v,
	);
	// Fired before the crit level, and the ramp never crossed it while predicted.
	t.true(maxWhilePredicted < 35, `${maxWhilePredicted}`);
	t.false(
		events.some(
			({incident, event}) =>
				event === 'fired' &&
				incident.type === 'THRESHOLD_BREACH_TEMPERATURE' &&
				incident.severity === 'CRITICAL' &&
				incident.timestamp > ramp[0]!.incident.timestamp &&
				incident.timestamp < ramp.at(-1)!.incident.end!,
		),
	);
});
