// The detector's rules on a declared device: each kind of rule, derived types and their
// report order, an optional field, a retune that adds and removes rules.
import test from 'ava';
import {
	createDetector,
	fieldOfType,
	incidentTypesOf,
	ruleType,
} from '../../source/core/detector.js';
import type {
	DeviceProfile,
	FieldValue,
	NumberField,
	StatusField,
} from '../../source/core/device-profile.js';
import type {IncidentEvent} from '../../source/core/incident.js';
import type {StatusLevel} from '../../source/core/protocol.js';
import type {DetectorSettings, RuleSpec} from '../../source/core/rule-spec.js';
import {at, t0} from '../helpers/detector-driver.js';

const number = (
	name: string,
	label: string,
	unit: string,
	{decimals = 2, optional = false} = {},
): NumberField => ({
	type: 'number',
	name,
	key: name,
	label,
	unit,
	range: [-1000, 1000],
	decimals,
	optional,
	metric: undefined,
});

const status = (name: string, label: string): StatusField => ({
	type: 'status',
	name,
	key: name,
	label,
	optional: true,
	levels: [
		{match: 'exact', value: 'OK', level: 'NORMAL'},
		{match: 'exact', value: 'HOT', level: 'WARNING'},
		{match: 'exact', value: 'FAULT', level: 'CRITICAL'},
		{match: 'prefix', value: 'DOWN', level: 'OFFLINE'},
	],
});

function profileWith(...fields: DeviceProfile['fields']): DeviceProfile {
	return {
		name: 'greenhouse',
		builtin: false,
		format: {type: 'pairs', assign: ':=', separators: ','},
		unknownKeys: 'ignore',
		fields,
	};
}

const greenhouse = profileWith(
	number('temperature', 'Temperature', '°C'),
	number('humidity', 'Humidity', '%', {decimals: 1, optional: true}),
	status('state', 'State'),
);

function settings(
	rules: RuleSpec[],
	profile: DeviceProfile = greenhouse,
): DetectorSettings {
	return {
		profile,
		rules,
		heartbeat_timeout_s: 5,
		parse_errors: {max_per_min: 10},
	};
}

/** A detector fed readings at seconds after t0: values by field name, absent ones left out. */
function feed(detectorSettings: DetectorSettings) {
	const detector = createDetector(detectorSettings);
	const {fields} = detectorSettings.profile;
	let line = 0;
	return {
		detector,
		read(
			seconds: number,
			values: Record<string, FieldValue>,
			level: StatusLevel = 'NORMAL',
		): readonly IncidentEvent[] {
			line++;
			return detector.observeReading(t0 + seconds * 1000, line, {
				values: fields.map(({name}) => values[name]),
				level,
			});
		},
		report: (seconds: number) => detector.report(t0 + seconds * 1000),
	};
}

const brief = (events: readonly IncidentEvent[]) =>
	events.map(
		({event, incident}) =>
			`${event} ${incident.type} ${incident.severity} ${incident.description}`,
	);

const changes = (events: readonly IncidentEvent[]) =>
	events.filter(({incident}) => incident.type.startsWith('RAPID_CHANGE'));

const above: RuleSpec = {
	kind: 'above',
	type: 'THRESHOLD_BREACH_TEMPERATURE',
	field: 'temperature',
	warn: 30,
	crit: 35,
	for_s: 2,
	clear_margin: 0.5,
};

test("above: warn then crit after for_s, the peak described in the field's label, unit and decimals, hysteresis by clear_margin", (t) => {
	const run = feed(settings([above]));
	t.deepEqual(run.read(0, {temperature: 31}), []);
	t.deepEqual(run.read(1, {temperature: 32}), []);
	t.deepEqual(brief(run.read(2, {temperature: 31})), [
		'fired THRESHOLD_BREACH_TEMPERATURE WARNING Temperature 32.00°C exceeded warning threshold of 30.0°C.',
	]);
	t.deepEqual(brief(run.read(3, {temperature: 35.5})), [
		'worsened THRESHOLD_BREACH_TEMPERATURE CRITICAL Temperature 35.50°C exceeded threshold of 35.0°C.',
	]);
	// Within clear_margin of the warning level: still open.
	t.deepEqual(run.read(4, {temperature: 29.6}), []);
	t.like(run.read(5, {temperature: 29.5})[0], {
		event: 'resolved',
		incident: {timestamp: at(0), end: at(5), readings: 5, peak: 35.5},
	});
});

test('below, warn only, on a field with one decimal: "Humidity 18.0% was below threshold of 20.0%."', (t) => {
	const run = feed(
		settings([
			{
				kind: 'below',
				type: 'THRESHOLD_BREACH_HUMIDITY',
				field: 'humidity',
				warn: 25,
				crit: 20,
				for_s: 0,
				clear_margin: 1,
			},
		]),
	);
	t.deepEqual(brief(run.read(0, {humidity: 24})), [
		'fired THRESHOLD_BREACH_HUMIDITY WARNING Humidity 24.0% was below warning threshold of 25.0%.',
	]);
	t.deepEqual(brief(run.read(1, {humidity: 18})), [
		'worsened THRESHOLD_BREACH_HUMIDITY CRITICAL Humidity 18.0% was below threshold of 20.0%.',
	]);
	t.deepEqual(run.read(2, {humidity: 25.5}), []);
	t.like(run.read(3, {humidity: 26})[0], {event: 'resolved'});
	t.like(run.report(4)[0], {peak: 18, threshold: 20});
});

test('outside, at its declared severity', (t) => {
	const run = feed(
		settings([
			{
				kind: 'outside',
				type: 'THRESHOLD_BREACH_HUMIDITY',
				field: 'humidity',
				low: 30,
				high: 80,
				severity: 'WARNING',
				for_s: 0,
				clear_margin: 0,
			},
		]),
	);
	t.deepEqual(run.read(0, {humidity: 50}), []);
	t.deepEqual(brief(run.read(1, {humidity: 85})), [
		'fired THRESHOLD_BREACH_HUMIDITY WARNING Humidity 85.0% was outside the normal range of 30.0%-80.0%.',
	]);
	t.like(run.read(2, {humidity: 80})[0], {event: 'resolved'});
});

test('change per reading and per second between consecutive readings of one stretch', (t) => {
	const run = feed(
		settings([
			{
				kind: 'change',
				type: 'RAPID_CHANGE_TEMPERATURE',
				field: 'temperature',
				max: 15,
				per: 'reading',
			},
			{
				kind: 'change',
				type: 'RAPID_CHANGE_TEMPERATURE_RATE',
				field: 'temperature',
				max: 2,
				per: 'second',
			},
		]),
	);
	t.deepEqual(run.read(0, {temperature: 20}), []);
	// 5 °C in 2 s: 2.5 °C/s, not 15 °C.
	t.deepEqual(brief(run.read(2, {temperature: 25})), [
		'fired RAPID_CHANGE_TEMPERATURE_RATE WARNING Temperature changed at 2.50°C/s, exceeding the rate-of-change threshold of 2.0°C/s.',
	]);
	t.deepEqual(brief(changes(run.read(12, {temperature: 41}))), [
		'resolved RAPID_CHANGE_TEMPERATURE_RATE WARNING Temperature changed at 2.50°C/s, exceeding the rate-of-change threshold of 2.0°C/s.',
	]);
	// Past heartbeat_timeout_s: no comparison at all; then a jump of 16 within one second.
	t.deepEqual(
		changes(run.read(13, {temperature: 25})).map(({incident}) => incident.type),
		['RAPID_CHANGE_TEMPERATURE', 'RAPID_CHANGE_TEMPERATURE_RATE'],
	);
	t.is(
		run.report(14).find(({type}) => type === 'RAPID_CHANGE_TEMPERATURE')
			?.description,
		'Temperature changed by -16.00°C, exceeding the rate-of-change threshold of 15.0°C.',
	);
	// The same instant again: no rate, and nothing changes.
	t.deepEqual(
		run.read(13, {temperature: 25}).map(({event}) => event),
		['resolved'],
	);
});

test('status fields with their own levels: one rule per field, the field named when the device has several', (t) => {
	const profile = profileWith(
		number('temperature', 'Temperature', '°C'),
		status('state', 'State'),
		status('pump', 'Pump'),
	);
	const types = [
		ruleType({kind: 'status', field: 'state'}),
		ruleType({kind: 'status', field: 'pump'}),
	];
	t.deepEqual(types, ['DEVICE_STATUS_STATE', 'DEVICE_STATUS_PUMP']);
	const run = feed(
		settings(
			[
				{kind: 'status', type: types[0]!, field: 'state'},
				{kind: 'status', type: types[1]!, field: 'pump'},
			],
			profile,
		),
	);
	t.deepEqual(brief(run.read(0, {state: 'HOT', pump: 'OK'}, 'WARNING')), [
		'fired DEVICE_STATUS_STATE WARNING Device reported State status HOT.',
	]);
	t.deepEqual(brief(run.read(1, {state: 'HOT', pump: 'DOWN_DRY'}, 'OFFLINE')), [
		'fired DEVICE_STATUS_PUMP CRITICAL Device reported Pump status DOWN_DRY.',
	]);
	// The pump's value absent: its rule is untouched, the state's resolves.
	t.deepEqual(
		brief(run.read(2, {state: 'OK'}, 'NORMAL')).map(
			(text) => text.split(' ')[1],
		),
		['DEVICE_STATUS_STATE'],
	);
	t.is(run.detector.active(t0 + 3000)[0]?.type, 'DEVICE_STATUS_PUMP');
});

test('mismatch: the status says NORMAL while bands on several fields fire, all of them named', (t) => {
	const profile = profileWith(
		number('temperature', 'Temperature', '°C'),
		number('humidity', 'Humidity', '%', {decimals: 1}),
		number('pressure', 'Pressure', 'hPa', {decimals: 1}),
		status('state', 'State'),
	);
	const band = (field: string, type: string): RuleSpec => ({
		kind: 'above',
		type,
		field,
		warn: null,
		crit: 10,
		for_s: 0,
		clear_margin: 0,
	});
	const run = feed(
		settings(
			[
				band('temperature', 'A'),
				band('humidity', 'B'),
				band('pressure', 'C'),
				{kind: 'mismatch', type: 'STATUS_MISMATCH', field: 'state'},
			],
			profile,
		),
	);
	const values = {temperature: 11, humidity: 11, pressure: 1, state: 'OK'};
	t.is(
		brief(run.read(0, values)).at(-1),
		'fired STATUS_MISMATCH WARNING Device reported NORMAL while A and B were firing; its own sensing disagrees with the readings.',
	);
	run.read(1, {...values, pressure: 11});
	t.is(
		run.report(2).find(({type}) => type === 'STATUS_MISMATCH')?.description,
		'Device reported NORMAL while A, B and C were firing; its own sensing disagrees with the readings.',
	);
	// The device agrees: no mismatch.
	t.like(
		run
			.read(2, {...values, state: 'FAULT'}, 'CRITICAL')
			.find(({incident}) => incident.type === 'STATUS_MISMATCH'),
		{event: 'resolved'},
	);
});

test('an optional field absent from a reading leaves its rules as they were: an open breach holds until a value comes', (t) => {
	const run = feed(
		settings([
			{
				kind: 'below',
				type: 'THRESHOLD_BREACH_HUMIDITY',
				field: 'humidity',
				warn: null,
				crit: 20,
				for_s: 0,
				clear_margin: 0,
			},
			{
				kind: 'change',
				type: 'RAPID_CHANGE_HUMIDITY',
				field: 'humidity',
				max: 10,
				per: 'reading',
			},
		]),
	);
	t.like(run.read(0, {temperature: 20, humidity: 10})[0], {event: 'fired'});
	t.deepEqual(run.read(1, {temperature: 20}), []);
	t.deepEqual(run.read(2, {temperature: 20}), []);
	const back = run.read(3, {temperature: 20, humidity: 30});
	t.deepEqual(
		back.map(({event, incident}) => `${event} ${incident.type}`),
		['resolved THRESHOLD_BREACH_HUMIDITY', 'fired RAPID_CHANGE_HUMIDITY'],
	);
	t.like(run.report(4)[0], {readings: 1, last_line: 1, end: at(3)});
});

test('derived types: from the kind and the field as the config derives them, named ones kept, in a fixed report order', (t) => {
	const rules = [
		{kind: 'mismatch', field: 'state'},
		{kind: 'below', field: 'temperature'},
		{kind: 'change', field: 'temperature', per: 'second'},
		{kind: 'above', field: 'temperature'},
		{kind: 'change', field: 'temperature', per: 'reading'},
		{kind: 'status', field: 'state'},
		{kind: 'outside', field: 'humidity', type: 'HUMIDITY_RANGE'},
		{kind: 'outside', field: 'humidity'},
	] as const;
	const types = rules.map((rule) =>
		'type' in rule ? rule.type : ruleType(rule),
	);
	t.deepEqual(types, [
		'STATUS_MISMATCH_STATE',
		'THRESHOLD_BREACH_TEMPERATURE_LOW',
		'RAPID_CHANGE_TEMPERATURE_PER_S',
		'THRESHOLD_BREACH_TEMPERATURE',
		'RAPID_CHANGE_TEMPERATURE',
		'DEVICE_STATUS_STATE',
		'HUMIDITY_RANGE',
		'THRESHOLD_BREACH_HUMIDITY',
	]);
	// eslint-disable-next-line array-callback-return -- the switch is exhaustive
	const specs = rules.map((rule, index): RuleSpec => {
		const type = types[index]!;
		switch (rule.kind) {
			case 'above':
			case 'below': {
				return {...rule, type, warn: null, crit: 1, for_s: 0, clear_margin: 0};
			}

			case 'outside': {
				return {
					...rule,
					type,
					low: 0,
					high: 1,
					severity: 'WARNING',
					for_s: 0,
					clear_margin: 0,
				};
			}

			case 'change': {
				return {...rule, type, max: 1};
			}

			case 'status':
			case 'mismatch': {
				return {...rule, type};
			}
		}
	});
	t.deepEqual(incidentTypesOf(settings(specs)), [
		'THRESHOLD_BREACH_TEMPERATURE_LOW',
		'THRESHOLD_BREACH_TEMPERATURE',
		'HUMIDITY_RANGE',
		'THRESHOLD_BREACH_HUMIDITY',
		'RAPID_CHANGE_TEMPERATURE_PER_S',
		'RAPID_CHANGE_TEMPERATURE',
		'HEARTBEAT_LOSS',
		'DEVICE_STATUS_STATE',
		'STATUS_MISMATCH_STATE',
		'PARSE_ERROR_RATE',
	]);
	t.is(fieldOfType(settings(specs), 'HUMIDITY_RANGE'), 'humidity');
	t.is(fieldOfType(settings(specs), 'HEARTBEAT_LOSS'), undefined);
});

test('a retune that removes a rule resolves its open incident at the retune and returns that event; a rule added starts afresh; others go on', (t) => {
	const change: RuleSpec = {
		kind: 'change',
		type: 'RAPID_CHANGE_TEMPERATURE',
		field: 'temperature',
		max: 100,
		per: 'reading',
	};
	const below: RuleSpec = {
		kind: 'below',
		type: 'THRESHOLD_BREACH_HUMIDITY',
		field: 'humidity',
		warn: null,
		crit: 20,
		for_s: 0,
		clear_margin: 0,
	};
	const run = feed(settings([above, below]));
	run.read(0, {temperature: 40, humidity: 10});
	run.read(1, {temperature: 40, humidity: 10});
	run.read(2, {temperature: 40, humidity: 10});
	const events = run.detector.retune(settings([below, change]));
	t.deepEqual(
		events.map(({event, incident}) => [event, incident.type, incident.end]),
		[['resolved', 'THRESHOLD_BREACH_TEMPERATURE', at(2)]],
	);
	t.deepEqual(run.read(3, {temperature: 41, humidity: 10}), []);
	const report = run.report(4);
	t.deepEqual(
		report.map(({type, end}) => [type, end]),
		[
			['THRESHOLD_BREACH_HUMIDITY', null],
			['THRESHOLD_BREACH_TEMPERATURE', at(2)],
		],
		"the removed rule's type ranks after the rules in effect",
	);
});

test('a declared detector saved as JSON and restored goes on as one never interrupted', (t) => {
	const rules: RuleSpec[] = [
		above,
		{
			kind: 'change',
			type: 'RAPID_CHANGE_TEMPERATURE',
			field: 'temperature',
			max: 3,
			per: 'second',
		},
		{kind: 'status', type: 'DEVICE_STATUS', field: 'state'},
		{kind: 'mismatch', type: 'STATUS_MISMATCH', field: 'state'},
	];
	const lines: Array<[number, number, string, StatusLevel]> = [
		[0, 20, 'OK', 'NORMAL'],
		[1, 31, 'OK', 'NORMAL'],
		[2, 36, 'HOT', 'WARNING'],
		[3, 36, 'OK', 'NORMAL'],
		[4, 20, 'OK', 'NORMAL'],
		[5, 20, 'FAULT', 'CRITICAL'],
	];
	const whole = feed(settings(rules));
	const wholeEvents = lines.map(([s, temperature, state, level]) =>
		JSON.stringify(whole.read(s, {temperature, state}, level)),
	);
	for (let split = 0; split < lines.length; split++) {
		const first = feed(settings(rules));
		const events = lines
			.slice(0, split)
			.map(([s, temperature, state, level]) =>
				JSON.stringify(first.read(s, {temperature, state}, level)),
			);
		const state = throughJson(first.detector.save());
		const restored = createDetector(settings([]), {state});
		for (const [index, [s, temperature, state, level]] of lines
			.slice(split)
			.entries()) {
			events.push(
				JSON.stringify(
					restored.observeReading(t0 + s * 1000, split + index + 1, {
						values: [temperature, undefined, state],
						level,
					}),
				),
			);
		}

		t.deepEqual(events, wholeEvents, `split at ${split}`);
		t.is(
			restored.active(t0 + 6000).length,
			whole.detector.active(t0 + 6000).length,
		);
	}
});

/** A value written as JSON and read back, as a checkpoint file does. */
function throughJson<T>(value: T): T {
	// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion, unicorn/prefer-structured-clone -- the JSON round trip is what is tested
	return JSON.parse(JSON.stringify(value)) as T;
}
