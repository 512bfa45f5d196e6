import test from 'ava';
import fc from 'fast-check';
import {
	diffConfig,
	formatChange,
	formatChanges,
	type ConfigChange,
} from '../../source/core/config-diff.js';
import {defaultConfig, type Config} from '../../source/core/config.js';

function configWith(change: (config: Config) => void): Config {
	const config = structuredClone(defaultConfig);
	change(config);
	return config;
}

test('one change per changed leaf key, thresholds without their section, in schema order', (t) => {
	const after = configWith((x) => {
		x.serial.baud_rate = 9600;
		x.thresholds.temperature.max_c = 75;
		x.thresholds.temperature.warn_c = null;
		x.thresholds.heartbeat_timeout_s = 2;
		x.thresholds.parse_errors.max_per_min = 3;
		x.ui.max_fps = 5;
	});
	t.deepEqual(diffConfig(defaultConfig, after), [
		{
			path: 'serial.baud_rate',
			before: 115_200,
			after: 9600,
			effect: 'reconnect',
		},
		{path: 'temperature.max_c', before: 80, after: 75, effect: 'live'},
		{path: 'temperature.warn_c', before: 70, after: null, effect: 'live'},
		{path: 'heartbeat_timeout_s', before: 5, after: 2, effect: 'live'},
		{
			path: 'parse_errors.max_per_min',
			before: 10,
			after: 3,
			effect: 'live',
		},
		{path: 'ui.max_fps', before: 10, after: 5, effect: 'restart'},
	]);
	t.deepEqual(diffConfig(after, after), []);
});

test('effects: thresholds and history live, the port settings reconnect, the rest waits for a restart', (t) => {
	const after = configWith((x) => {
		x.serial.port = '/dev/ttyUSB1';
		x.serial.baud_rate = 9600;
		x.serial.max_line_bytes = 2048;
		x.serial.reconnect_interval_s = 5;
		x.protocol.voltage_max_v = 50;
		x.output.dir = './out';
		x.thresholds.voltage.clear_margin_v = 0.1;
		x.emulator.seed = 7;
		x.ui.history_points = 300;
		x.ui.max_fps = 30;
	});
	t.deepEqual(
		Object.fromEntries(
			diffConfig(defaultConfig, after).map(({path, effect}) => [path, effect]),
		),
		{
			'serial.port': 'reconnect',
			'serial.baud_rate': 'reconnect',
			'serial.max_line_bytes': 'restart',
			'serial.reconnect_interval_s': 'restart',
			'protocol.voltage_max_v': 'restart',
			'output.dir': 'restart',
			'voltage.clear_margin_v': 'live',
			'emulator.seed': 'restart',
			'ui.history_points': 'live',
			'ui.max_fps': 'restart',
		},
	);
});

test('formatChange: numbers as written, null as null, strings as they are', (t) => {
	const change = (
		path: string,
		before: unknown,
		after: unknown,
	): ConfigChange => ({path, before, after, effect: 'live'});
	t.is(
		formatChange(change('temperature.max_c', 80, 75)),
		'temperature.max_c 80 -> 75',
	);
	t.is(
		formatChange(change('voltage.min_v', 4.5, 4.25)),
		'voltage.min_v 4.5 -> 4.25',
	);
	t.is(
		formatChange(change('temperature.warn_c', 70, null)),
		'temperature.warn_c 70 -> null',
	);
	t.is(
		formatChange(change('serial.port', '/dev/ttyUSB0', 'COM3')),
		'serial.port /dev/ttyUSB0 -> COM3',
	);
});

test('formatChanges: one line; reconnects say so, restart ones come last under one heading', (t) => {
	const after = configWith((x) => {
		x.serial.baud_rate = 9600;
		x.output.dir = './out';
		x.thresholds.temperature.max_c = 75;
		x.ui.max_fps = 5;
	});
	t.is(
		formatChanges(diffConfig(defaultConfig, after)),
		'serial.baud_rate 115200 -> 9600 (reconnects), temperature.max_c 80 -> 75; after a restart: output.dir ./data -> ./out, ui.max_fps 10 -> 5',
	);
	t.is(
		formatChanges(
			diffConfig(
				defaultConfig,
				configWith((x) => {
					x.thresholds.temperature.max_c = 75;
				}),
			),
		),
		'temperature.max_c 80 -> 75',
	);
	t.is(
		formatChanges(
			diffConfig(
				defaultConfig,
				configWith((x) => {
					x.ui.max_fps = 5;
				}),
			),
		),
		'after a restart: ui.max_fps 10 -> 5',
	);
	t.is(formatChanges([]), '');
});

/** Configs of the schema's shape whose leaves keep the default or take another value of their kind. */
function leafVariant(value: unknown): fc.Arbitrary<unknown> {
	if (typeof value === 'number') {
		return fc.oneof(
			fc.constant(value),
			fc.integer({min: -5, max: 5}),
			fc.double({noNaN: true, noDefaultInfinity: true}),
		);
	}

	if (typeof value === 'string') {
		return fc.oneof(fc.constant(value), fc.constantFrom('a', 'b'), fc.string());
	}

	return fc.constant(value);
}

function variant(value: unknown): fc.Arbitrary<unknown> {
	if (typeof value === 'object' && value !== null) {
		return fc.record(
			Object.fromEntries(
				Object.entries(value).map(([key, child]) => [key, variant(child)]),
			),
		);
	}

	return leafVariant(value);
}

const configs = fc
	.tuple(
		variant(defaultConfig),
		// Warn_c alone may be null.
		fc.option(fc.integer({min: 0, max: 100}), {nil: null}),
	)
	.map(([config, warn]) => {
		// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- built from defaultConfig's shape
		const result = config as Config;
		result.thresholds.temperature.warn_c = warn;
		return result;
	});

const sections = new Set(Object.keys(defaultConfig));

/** The change's key path in the config: thresholds are listed without their section. */
function keysOf(change: ConfigChange): string[] {
	const keys = change.path.split('.');
	return sections.has(keys[0]!) ? keys : ['thresholds', ...keys];
}

function set(config: Config, keys: string[], value: unknown) {
	let node: Record<string, unknown> = config;
	for (const key of keys.slice(0, -1)) {
		// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- a section of the config
		node = node[key] as Record<string, unknown>;
	}

	node[keys.at(-1)!] = value;
}

test('property: no changes between a config and itself; the changes turn before into after', (t) => {
	t.notThrows(() => {
		fc.assert(
			fc.property(configs, configs, (before, after) => {
				if (diffConfig(before, structuredClone(before)).length > 0) {
					return false;
				}

				const changes = diffConfig(before, after);
				const applied = structuredClone(before);
				for (const change of changes) {
					set(applied, keysOf(change), change.after);
				}

				const paths = changes.map((change) => change.path);
				return (
					JSON.stringify(applied) === JSON.stringify(after) &&
					new Set(paths).size === paths.length &&
					changes.every((change) => change.before !== change.after)
				);
			}),
			{numRuns: 300},
		);
	});
});

test('device fields are compared item by item, rules by type; rules wait for a restart with a device change', (t) => {
	const declared = configWith((x) => {
		x.device = {
			name: null,
			format: 'pairs',
			fields: [{name: 'humidity'}, {name: 'temp'}],
		};
		x.rules = [{field: 'humidity', above: {crit: 80}}];
	});
	const retuned = structuredClone(declared);
	retuned.rules = [
		{field: 'humidity', above: {crit: 70}},
		{field: 'temp', change: {max: 2}},
	];
	t.deepEqual(diffConfig(declared, retuned), [
		{
			path: 'rules[THRESHOLD_BREACH_HUMIDITY].above.crit',
			before: 80,
			after: 70,
			effect: 'live',
		},
		{
			path: 'rules[RAPID_CHANGE_TEMP]',
			before: undefined,
			after: {field: 'temp', change: {max: 2}},
			effect: 'live',
		},
	]);
	t.is(
		formatChanges(diffConfig(declared, retuned)),
		'rule THRESHOLD_BREACH_HUMIDITY: above.crit 80 -> 70, rule added: {field: temp, change: {max: 2}} (RAPID_CHANGE_TEMP)',
	);
	const renamed = structuredClone(retuned);
	renamed.device.name = 'greenhouse';
	t.true(
		diffConfig(declared, renamed)
			.filter((change) => change.path.startsWith('rules'))
			.every((change) => change.effect === 'live'),
		'the device label is no change of the device',
	);
	const rekeyed = structuredClone(retuned);
	rekeyed.device.fields![1]!.key = 't';
	t.deepEqual(
		diffConfig(declared, rekeyed).map(({path, effect}) => [path, effect]),
		[
			['device.fields[1].key', 'restart'],
			['rules[THRESHOLD_BREACH_HUMIDITY].above.crit', 'restart'],
			['rules[RAPID_CHANGE_TEMP]', 'restart'],
		],
	);
});

/** The rules of examples/arduino-plotter.yaml, on its two fields. */
function plotter(rules: Config['rules']): Config {
	return configWith((x) => {
		x.device = {
			name: 'arduino-plotter',
			format: 'pairs',
			fields: [
				{name: 'temperature', key: 'temp'},
				{name: 'humidity', key: 'hum'},
			],
		};
		x.rules = rules;
	});
}

const bandTemperature = {
	field: 'temperature',
	above: {warn: 30, crit: 35},
	for_s: 10,
	clear_margin: 0.5,
};
const changeTemperature = {field: 'temperature', change: {max: 2}};
const lowHumidity = {field: 'humidity', below: {crit: 20}};
const outsideHumidity = {
	field: 'humidity',
	outside: [30, 80] as [number, number],
	severity: 'WARNING' as const,
};
const plotterRules = [
	bandTemperature,
	changeTemperature,
	lowHumidity,
	outsideHumidity,
];

test('rules by the incident type they fire: a rule inserted at the top is one rule added', (t) => {
	const added = {field: 'humidity', change: {max: 50}};
	const changes = diffConfig(
		plotter(plotterRules),
		plotter([added, ...plotterRules]),
	);
	t.deepEqual(changes, [
		{
			path: 'rules[RAPID_CHANGE_HUMIDITY]',
			before: undefined,
			after: added,
			effect: 'live',
		},
	]);
	t.is(
		formatChanges(changes),
		'rule added: {field: humidity, change: {max: 50}} (RAPID_CHANGE_HUMIDITY)',
	);
});

test('rules by type: a rule taken from the middle is one rule removed, the others unchanged', (t) => {
	const changes = diffConfig(
		plotter(plotterRules),
		plotter([bandTemperature, lowHumidity, outsideHumidity]),
	);
	t.deepEqual(
		changes.map(({path, effect}) => [path, effect]),
		[['rules[RAPID_CHANGE_TEMPERATURE]', 'live']],
	);
	t.is(
		formatChanges(changes),
		'rule removed: {field: temperature, change: {max: 2}} (RAPID_CHANGE_TEMPERATURE)',
	);
});

test('rules by type: one level of one rule is that rule and that key, wherever the rule moved', (t) => {
	const raised = {...bandTemperature, above: {warn: 30, crit: 33}};
	const changes = diffConfig(
		plotter(plotterRules),
		plotter([changeTemperature, lowHumidity, raised, outsideHumidity]),
	);
	t.deepEqual(changes[0], {
		path: 'rules[THRESHOLD_BREACH_TEMPERATURE].above.crit',
		before: 35,
		after: 33,
		effect: 'live',
	});
	t.is(
		formatChange(changes[0]!),
		'rule THRESHOLD_BREACH_TEMPERATURE: above.crit 35 -> 33',
	);
	t.is(changes.length, 2, 'the level, and the move');
});

test('rules by type: a reorder alone is one change, reported as a reorder of the types', (t) => {
	const changes = diffConfig(
		plotter(plotterRules),
		plotter([changeTemperature, bandTemperature, lowHumidity, outsideHumidity]),
	);
	t.deepEqual(changes, [
		{
			path: 'rules',
			before: [
				'THRESHOLD_BREACH_TEMPERATURE',
				'RAPID_CHANGE_TEMPERATURE',
				'THRESHOLD_BREACH_HUMIDITY_LOW',
				'THRESHOLD_BREACH_HUMIDITY',
			],
			after: [
				'RAPID_CHANGE_TEMPERATURE',
				'THRESHOLD_BREACH_TEMPERATURE',
				'THRESHOLD_BREACH_HUMIDITY_LOW',
				'THRESHOLD_BREACH_HUMIDITY',
			],
			effect: 'live',
		},
	]);
	t.is(
		formatChanges(changes),
		'rules reordered: THRESHOLD_BREACH_TEMPERATURE moved',
		'of two swapped, one moved',
	);
	t.is(
		formatChanges(
			diffConfig(
				plotter(plotterRules),
				plotter([
					changeTemperature,
					lowHumidity,
					outsideHumidity,
					bandTemperature,
				]),
			),
		),
		'rules reordered: THRESHOLD_BREACH_TEMPERATURE moved',
		'one rule taken to the end, not the three it passed',
	);
	t.deepEqual(
		diffConfig(
			plotter(plotterRules),
			plotter([{field: 'humidity', change: {max: 50}}, ...plotterRules]),
		).filter(({path}) => path === 'rules'),
		[],
		'an insert moves the others, but is no reorder',
	);
});

test('rules by type: of two rules on one field, only the edited one is named', (t) => {
	const changes = diffConfig(
		plotter(plotterRules),
		plotter([
			bandTemperature,
			changeTemperature,
			{field: 'humidity', below: {crit: 15}},
			{...outsideHumidity, severity: 'CRITICAL'},
		]),
	);
	t.is(
		formatChanges(changes),
		'rule THRESHOLD_BREACH_HUMIDITY_LOW: below.crit 20 -> 15, rule THRESHOLD_BREACH_HUMIDITY: severity WARNING -> CRITICAL',
	);
	const typed = diffConfig(
		plotter([{...changeTemperature, type: 'JUMP'}]),
		plotter([{...changeTemperature, type: 'JUMP', field: 'humidity'}]),
	);
	t.deepEqual(
		typed.map(({path, before, after}) => [path, before, after]),
		[['rules[JUMP].field', 'temperature', 'humidity']],
		'a rule that names its type keeps it whatever its field',
	);
});

test('rules by type: a declared device without rules: has none, so the section added lists each rule', (t) => {
	const none = plotter(undefined);
	t.deepEqual(
		diffConfig(none, plotter([lowHumidity])).map(({path}) => path),
		['rules[THRESHOLD_BREACH_HUMIDITY_LOW]'],
	);
	t.deepEqual(diffConfig(none, plotter([])), []);
});
