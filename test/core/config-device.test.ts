// config.yaml's device: and rules: sections: what they declare, the built-in device when
// they are absent, and every bad declaration refused at its line and key.
import {readFileSync} from 'node:fs';
import test from 'ava';
import {
	ConfigError,
	defaultConfig,
	detectorSettings,
	deviceProfile,
	parseConfig,
	parseConfigWithWarnings,
	protocolLimits,
} from '../../source/core/config.js';
import {builtinProfile} from '../../source/core/device-profile.js';
import {builtinRules} from '../../source/core/rule-spec.js';

const lines = (...text: string[]) => `${text.join('\n')}\n`;

const problemsOf = (text: string): string[] => {
	try {
		parseConfig(text, 'config.yaml');
	} catch (error) {
		if (error instanceof ConfigError) {
			return error.problems;
		}

		throw error;
	}

	return [];
};

const greenhouse = lines(
	'device:',
	'  name: greenhouse-3',
	'  format: pairs',
	'  fields:',
	'    - {name: temperature, key: temp, label: Temperature, unit: °C, range: [-40, 125], decimals: 2}',
	"    - {name: humidity, key: hum, unit: '%', range: [0, 100]}",
	'    - {name: state, key: st, type: status, levels: {OK: NORMAL, HOT: WARNING, FAULT: CRITICAL, DOWN: OFFLINE}}',
	'rules:',
	'  - {field: temperature, above: {warn: 30, crit: 35}, for_s: 10, clear_margin: 0.5}',
	'  - {field: temperature, change: {max: 2}}',
	'  - {field: humidity, below: {crit: 20}}',
	'  - {field: humidity, outside: [30, 80], severity: WARNING}',
);

test('the greenhouse example declares its profile and its rules', (t) => {
	const config = parseConfig(greenhouse, 'config.yaml');
	const settings = detectorSettings(config);
	t.deepEqual(settings.profile, {
		name: 'greenhouse-3',
		builtin: false,
		format: {type: 'pairs', assign: ':=', separators: ', ;\t'},
		unknownKeys: 'ignore',
		fields: [
			{
				type: 'number',
				name: 'temperature',
				key: 'temp',
				label: 'Temperature',
				unit: '°C',
				range: [-40, 125],
				decimals: 2,
				optional: false,
				metric: undefined,
			},
			{
				type: 'number',
				name: 'humidity',
				key: 'hum',
				label: 'Humidity',
				unit: '%',
				range: [0, 100],
				decimals: 1,
				optional: false,
				metric: undefined,
			},
			{
				type: 'status',
				name: 'state',
				key: 'st',
				label: 'State',
				optional: false,
				levels: [
					{match: 'exact', value: 'OK', level: 'NORMAL'},
					{match: 'exact', value: 'HOT', level: 'WARNING'},
					{match: 'exact', value: 'FAULT', level: 'CRITICAL'},
					{match: 'exact', value: 'DOWN', level: 'OFFLINE'},
				],
			},
		],
	});
	t.deepEqual(settings.rules, [
		{
			kind: 'above',
			type: 'THRESHOLD_BREACH_TEMPERATURE',
			field: 'temperature',
			warn: 30,
			crit: 35,
			for_s: 10,
			clear_margin: 0.5,
		},
		{
			kind: 'change',
			type: 'RAPID_CHANGE_TEMPERATURE',
			field: 'temperature',
			max: 2,
			per: 'reading',
		},
		{
			kind: 'below',
			type: 'THRESHOLD_BREACH_HUMIDITY_LOW',
			field: 'humidity',
			warn: null,
			crit: 20,
			for_s: 0,
			clear_margin: 0,
		},
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
	]);
	t.is(settings.heartbeat_timeout_s, 5, 'thresholds still set the heartbeat');
	t.deepEqual(settings.parse_errors, {max_per_min: 10});
	t.is(config.device.name, 'greenhouse-3', 'the device label as before');
});

test('no device: the built-in profile within protocol limits and the thresholds as rules', (t) => {
	for (const text of [
		'',
		'device:\n  name: oven\n',
		lines(
			'protocol:',
			'  temperature_min_c: -50',
			'  voltage_max_v: 12',
			'thresholds:',
			'  temperature: {max_c: 60, warn_c: null, max_change_c: 3, for_s: 2, clear_margin_c: 1}',
			'  voltage: {min_v: 3, max_v: 3.6}',
			'  heartbeat_timeout_s: 9',
			'  parse_errors: {max_per_min: 0}',
		),
	]) {
		const config = parseConfig(text, 'config.yaml');
		const limits = protocolLimits(config);
		const profile = builtinProfile({
			temperatureRangeC: limits.temperatureRangeC,
			voltageRangeV: limits.voltageRangeV,
		});
		t.deepEqual(deviceProfile(config), profile, `for ${JSON.stringify(text)}`);
		t.deepEqual(detectorSettings(config), {
			profile,
			rules: builtinRules(config.thresholds),
			heartbeat_timeout_s: config.thresholds.heartbeat_timeout_s,
			parse_errors: config.thresholds.parse_errors,
		});
	}

	t.deepEqual(
		detectorSettings(defaultConfig).rules.map((rule) => rule.type),
		[
			'THRESHOLD_BREACH_TEMP',
			'THRESHOLD_BREACH_VOLTAGE',
			'RAPID_CHANGE_TEMP',
			'DEVICE_STATUS',
			'STATUS_MISMATCH',
		],
	);
});

test('rules without device: replace the thresholds on the built-in fields', (t) => {
	const {config, warnings} = parseConfigWithWarnings(
		lines(
			'thresholds:',
			'  temperature:',
			'    max_c: 60',
			'rules:',
			'  - {field: temperature, above: {crit: 90}, type: THRESHOLD_BREACH_TEMP}',
			'  - {field: voltage, change: {max_per_s: 0.5}}',
			'  - {field: status, status: true, type: DEVICE_STATUS}',
		),
		'config.yaml',
	);
	const settings = detectorSettings(config);
	t.true(settings.profile.builtin);
	t.deepEqual(
		settings.rules.map((rule) => rule.type),
		['THRESHOLD_BREACH_TEMP', 'RAPID_CHANGE_VOLTAGE_PER_S', 'DEVICE_STATUS'],
	);
	t.deepEqual(warnings, [
		"config.yaml:2:3: thresholds.temperature: ignored: it sets the built-in device's rules, and rules: replaces them",
	]);
	t.deepEqual(
		detectorSettings(parseConfig('rules: []\n', 'c.yaml')).rules,
		[],
		'an empty list turns them all off',
	);
});

test('a declared device ignores protocol and the thresholds of the built-in fields, and says so', (t) => {
	const {config, warnings} = parseConfigWithWarnings(
		lines(
			'device:',
			'  fields: [{name: pressure}]',
			'protocol:',
			'  voltage_min_v: 1',
			'thresholds:',
			'  temperature:',
			'    max_c: 60',
			'  voltage:',
			'    min_v: 1',
			'  heartbeat_timeout_s: 3',
		),
		'config.yaml',
	);
	t.deepEqual(warnings, [
		"config.yaml:3:1: protocol: ignored: it sets the built-in device's ranges, and device: declares another (each field has its range)",
		"config.yaml:6:3: thresholds.temperature: ignored: it sets the built-in device's rules, and device: declares another device (its rules go in rules:)",
		"config.yaml:8:3: thresholds.voltage: ignored: it sets the built-in device's rules, and device: declares another device (its rules go in rules:)",
	]);
	const settings = detectorSettings(config);
	t.deepEqual(settings.rules, [], 'no rules: declares none');
	t.is(settings.heartbeat_timeout_s, 3);
	t.deepEqual(
		parseConfigWithWarnings(greenhouse, 'config.yaml').warnings,
		[],
		'nothing to say when the file sets neither',
	);
});

test('each format takes its options, with defaults', (t) => {
	const profileOf = (text: string) =>
		deviceProfile(parseConfig(text, 'config.yaml'));
	t.deepEqual(
		profileOf(
			'device:\n  format: pairs\n  assign: "="\n  separators: ";"\n  fields: [{name: a}]\n',
		).format,
		{type: 'pairs', assign: '=', separators: ';'},
	);
	const csv = profileOf(
		'device:\n  format: csv\n  separator: ";"\n  fields: [{name: a, key: 2}, {name: b, key: "03"}]\n',
	);
	t.deepEqual(csv.format, {type: 'csv', separator: ';', header: false});
	t.deepEqual(
		csv.fields.map((field) => field.key),
		['2', '3'],
		'columns by number',
	);
	t.deepEqual(
		profileOf(
			'device:\n  format: csv\n  header: true\n  fields: [{name: a, key: Temp}]\n',
		).format,
		{type: 'csv', separator: ',', header: true},
	);
	t.deepEqual(
		profileOf(
			'device:\n  format: json\n  unknown_keys: error\n  fields: [{name: t, key: env.t, optional: true, metric: env_t_celsius}]\n',
		),
		{
			name: 'device',
			builtin: false,
			format: {type: 'json'},
			unknownKeys: 'error',
			fields: [
				{
					type: 'number',
					name: 't',
					key: 'env.t',
					label: 'T',
					unit: '',
					range: [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
					decimals: 1,
					optional: true,
					metric: 'env_t_celsius',
				},
			],
		},
	);
	t.deepEqual(
		profileOf(
			String.raw`device:
  format: regex
  pattern: 'Humidity: (?<h>[\d.]+)%\s+Temperature: (?<t>[\d.]+)'
  fields: [{name: humidity, key: h}, {name: soil_temp, key: t}]
`,
		).fields.map((field) => [field.key, field.label]),
		[
			['h', 'Humidity'],
			['t', 'Soil temp'],
		],
	);
});

test('a status level key ending in _* matches the value alone or with a reason', (t) => {
	const [field] = deviceProfile(
		parseConfig(
			'device:\n  fields:\n    - {name: s, type: status, levels: {NORMAL_*: NORMAL, WARN: WARNING}}\n',
			'config.yaml',
		),
	).fields;
	t.deepEqual(field?.type === 'status' && field.levels, [
		{match: 'prefix', value: 'NORMAL', level: 'NORMAL'},
		{match: 'exact', value: 'WARN', level: 'WARNING'},
	]);
});

test('bad fields: each at its line and key', (t) => {
	t.deepEqual(
		problemsOf(
			lines(
				'device:',
				'  fields:',
				'    - {name: temp, key: t}',
				'    - {name: temp, key: t}',
				'    - {name: Hum, key: h}',
				'    - {name: raw_line}',
			),
		),
		[
			'config.yaml:5:14: device.fields[2].name: lower-case letters, digits and _, starting with a letter',
			'config.yaml:4:14: device.fields[1].name: "temp" is also the name of device.fields[0]',
			'config.yaml:4:25: device.fields[1].key: "t" is also the key of device.fields[0]',
			'config.yaml:6:14: device.fields[3].name: "raw_line" is a column of the CSV already; name the field otherwise',
		],
	);
	t.deepEqual(
		problemsOf(
			lines(
				'device:',
				'  fields:',
				'    - {name: a, range: [5, 1]}',
				'    - {name: s, type: status}',
				'    - {name: s2, type: status, unit: x, levels: {A: NORMAL}}',
				'    - {name: n, levels: {A: NORMAL}}',
				'    - {name: m, key: "a b"}',
			),
		),
		[
			'config.yaml:3:24: device.fields[0].range: the low end (5) must be below the high end (1)',
			'config.yaml:4:7: device.fields[1].levels: a status field maps its values to levels, e.g. {OK: NORMAL, FAULT: CRITICAL}',
			'config.yaml:5:38: device.fields[2].unit: only for a number field',
			'config.yaml:6:25: device.fields[3].levels: only for a status field (type: status)',
			'config.yaml:7:22: device.fields[4].key: "a b" holds " ", which ends a label in this format',
		],
	);
	t.deepEqual(
		problemsOf('device:\n  fields:\n    - {name: a, decimals: 11}\n'),
		['config.yaml:3:27: device.fields[0].decimals: must be at most 10, got 11'],
	);
	t.deepEqual(
		problemsOf(
			'device:\n  fields:\n    - {name: s, type: status, levels: {OK: FINE}}\n',
		),
		[
			'config.yaml:3:44: device.fields[0].levels.OK: a level: NORMAL, WARNING, CRITICAL, OFFLINE',
		],
	);
});

test('a key that would shadow another, per format', (t) => {
	t.deepEqual(
		problemsOf(
			lines(
				'device:',
				'  format: json',
				'  fields:',
				'    - {name: a, key: env}',
				'    - {name: b, key: env.t}',
				'    - {name: c, key: envx.t}',
				'    - {name: d, key: x..y}',
			),
		),
		[
			'config.yaml:7:22: device.fields[3].key: "x..y" is not a dotted path (a name, or names joined by single dots: env.t)',
			'config.yaml:5:22: device.fields[1].key: goes through "env", the key of device.fields[0]: a JSON value is a number or an object, not both',
		],
	);
	t.deepEqual(
		problemsOf(
			'device:\n  fields:\n    - {name: t}\n    - {name: temp}\n    - {name: b, key: "x:y"}\n',
		),
		[
			'config.yaml:5:22: device.fields[2].key: "x:y" holds ":", which ends a label in this format',
		],
		'pairs compare labels whole: t and temp are two keys',
	);
	t.deepEqual(
		problemsOf(
			lines(
				'device:',
				'  format: csv',
				'  fields:',
				'    - {name: a, key: temp}',
				'    - {name: b, key: 1}',
				'    - {name: c, key: "01"}',
			),
		),
		[
			'config.yaml:4:22: device.fields[0].key: with header: false a key is a column number (1 for the first), got "temp"; or set header: true to find columns by the device\'s header line',
			'config.yaml:6:22: device.fields[2].key: "1" is also the key of device.fields[1]',
		],
	);
});

test('format options belong to their format, and a format needs fields', (t) => {
	t.deepEqual(
		problemsOf(
			'device:\n  format: pairs\n  header: true\n  assign: ","\n  fields: [{name: a}]\n',
		),
		[
			'config.yaml:3:11: device.header: only for format: csv',
			'config.yaml:4:11: device.assign: "," is also a separator (device.separators)',
		],
	);
	t.deepEqual(problemsOf('device:\n  format: csv\n'), [
		'config.yaml:2:11: device.format: declares a device, which needs its fields (device.fields); without them the built-in T:,V:,S: device applies',
	]);
	t.deepEqual(problemsOf('device:\n  format: regex\n  fields: [{name: a}]\n'), [
		'config.yaml:2:11: device.format: format: regex takes a pattern (device.pattern)',
	]);
});

test('a regex: valid RE2, with named groups that are the fields keys', (t) => {
	const regex = (pattern: string, ...fields: string[]) =>
		problemsOf(
			lines(
				'device:',
				'  format: regex',
				`  pattern: '${pattern}'`,
				'  fields:',
				...fields.map((name) => `    - {name: ${name}}`),
			),
		);
	t.deepEqual(regex(String.raw`T=(\d+)`, 'a'), [
		'config.yaml:3:12: device.pattern: the pattern has no named group: a field is read from the group named (?<key>...) by its key',
	]);
	t.regex(
		regex('(?<a', 'a').join('\n'),
		/^config\.yaml:3:12: device\.pattern: invalid pattern \(RE2 syntax: no lookaround, no backreference\): .+$/,
	);
	// What the codec cannot run is refused at load, at the pattern, not thrown at start.
	for (const pattern of [
		String.raw`(?<a>\d+)(?=x)`,
		String.raw`(?<a>\d)\1`,
		String.raw`(?<=T=)(?<a>\d+)`,
	]) {
		t.regex(
			regex(pattern, 'a').join('\n'),
			/^config\.yaml:3:12: device\.pattern: invalid pattern \(RE2 syntax/,
			`for ${pattern}`,
		);
	}

	// RE2 cannot backtrack, so nested repetition runs in linear time and is accepted.
	t.deepEqual(regex(String.raw`(?<a>(\d+)+)x`, 'a'), []);
	t.deepEqual(regex(String.raw`(?<a>\d+)x(?<zz>.)`, 'a', 'b'), [
		"config.yaml:3:12: device.pattern: the group (?<zz>) is no field's key",
		'config.yaml:6:7: device.fields[1].key: "b" is no named group of device.pattern (it has a, zz)',
	]);
	t.deepEqual(regex(String.raw`(?<a>\d+)x(?<b>[\d.]+)?`, 'a', 'b'), []);
});

test('bad rules: each at its line and key', (t) => {
	const rules = (...items: string[]) =>
		problemsOf(
			lines(
				'device:',
				'  fields:',
				'    - {name: temp}',
				'    - {name: st, type: status, levels: {OK: NORMAL}}',
				'rules:',
				...items.map((item) => `  - ${item}`),
			),
		);
	t.deepEqual(rules('{field: tmep, above: {crit: 3}}'), [
		'config.yaml:6:13: rules[0].field: no field "tmep" (did you mean "temp"?); the device\'s fields: temp, st',
	]);
	t.deepEqual(rules('{field: temp, above: {warn: 5, crit: 3}}'), [
		'config.yaml:6:33: rules[0].above.warn: must be below above.crit (3): the warning band comes before the critical one',
	]);
	t.deepEqual(rules('{field: temp, below: {warn: 1, crit: 3}}'), [
		'config.yaml:6:33: rules[0].below.warn: must be above below.crit (3): the warning band comes before the critical one',
	]);
	t.deepEqual(rules('{field: temp, outside: [5, 5]}'), [
		'config.yaml:6:28: rules[0].outside: [low, high]: the low end (5) must be below the high end (5)',
	]);
	t.deepEqual(rules('{field: st, above: {crit: 1}}'), [
		'config.yaml:6:24: rules[0].above: applies to a number field; st is a status field',
	]);
	t.deepEqual(rules('{field: temp, mismatch: true}'), [
		'config.yaml:6:29: rules[0].mismatch: applies to a status field; temp is a number field',
	]);
	t.deepEqual(rules('{field: temp, above: {crit: 1}, below: {crit: 0}}'), [
		'config.yaml:6:44: rules[0].below: a rule takes one of above, below, outside, change, predict, status, mismatch (this one has above and below: one rule each)',
	]);
	t.deepEqual(rules('{field: temp}'), [
		'config.yaml:6:5: rules[0]: a rule takes one of above, below, outside, change, predict, status, mismatch',
	]);
	t.deepEqual(rules('{field: temp, change: {}}'), [
		'config.yaml:6:27: rules[0].change: takes max (between consecutive readings) or max_per_s (per second between them), one of them',
	]);
	t.deepEqual(rules('{field: temp, below: {warn: null}}'), [
		'config.yaml:6:26: rules[0].below: takes warn, crit or both, e.g. {warn: 30, crit: 35}',
	]);
	t.deepEqual(rules('{field: st, status: true, for_s: 3, severity: WARNING}'), [
		'config.yaml:6:38: rules[0].for_s: only for a band rule (above, below, outside)',
		'config.yaml:6:51: rules[0].severity: only for an outside rule (above and below take warn and crit levels)',
	]);
	t.deepEqual(rules('{field: st, status: true, type: heartbeat}'), [
		'config.yaml:6:37: rules[0].type: upper-case letters, digits and _, starting with a letter',
	]);
	t.is(rules('{field: temp, above: {crit: 1}, severity: LOW}').length, 1);
});

test("a field whose metric would be one of serialwatch's own or another field's is refused at its key", (t) => {
	const fields = (...items: string[]) =>
		problemsOf(
			lines('device:', '  fields:', ...items.map((item) => `    - ${item}`)),
		);
	t.deepEqual(fields('{name: a, metric: serialwatch_lines_total}'), [
		"config.yaml:3:25: device.fields[0].metric: serialwatch_lines_total is one of serialwatch's own metrics; name the field's metric otherwise",
	]);
	t.deepEqual(fields('{name: a, metric: process_cpu_seconds_total}'), [
		"config.yaml:3:25: device.fields[0].metric: process_cpu_seconds_total is one of serialwatch's own metrics (process_* and nodejs_* are the process's); name the field's metric otherwise",
	]);
	// Derived names collide too: a unitless field named lines_total, a status field named device.
	t.deepEqual(fields('{name: lines_total}'), [
		"config.yaml:3:14: device.fields[0].name: its metric serialwatch_lines_total is one of serialwatch's own metrics; name the field otherwise, or give it a metric",
	]);
	t.deepEqual(
		fields('{name: a}', '{name: device, type: status, levels: {OK: NORMAL}}'),
		[
			"config.yaml:4:14: device.fields[1].name: its metric serialwatch_device_status is one of serialwatch's own metrics; name the field otherwise",
		],
	);
	t.deepEqual(
		fields("{name: a, unit: '°C'}", '{name: b, metric: serialwatch_a_celsius}'),
		[
			'config.yaml:4:25: device.fields[1].metric: serialwatch_a_celsius is also the metric of device.fields[0]',
		],
	);
	t.deepEqual(
		fields('{name: x_status}', '{name: x, type: status, levels: {OK: NORMAL}}'),
		[
			'config.yaml:4:14: device.fields[1].name: its metric serialwatch_x_status is also the metric of device.fields[0]',
		],
	);
	t.deepEqual(fields("{name: a, unit: '°C'}", "{name: b, unit: '%'}"), []);
});

test('a mismatch rule needs a status field and a band rule to disagree with, or it is refused at its key', (t) => {
	const problems = (fields: string, ...items: string[]) =>
		problemsOf(
			lines(
				'device:',
				`  fields: [${fields}]`,
				'rules:',
				...items.map((item) => `  - ${item}`),
			),
		);
	const withStatus =
		'{name: temp}, {name: st, type: status, levels: {OK: NORMAL}}';
	t.deepEqual(problems(withStatus, '{field: st, mismatch: true}'), [
		'config.yaml:4:27: rules[0].mismatch: compares the status with the band rules (above, below, outside), and there is none: add one, or remove this rule',
	]);
	// A change or status rule is no band: still nothing to disagree with.
	t.deepEqual(
		problems(
			withStatus,
			'{field: temp, change: {max: 2}}',
			'{field: st, status: true}',
			'{field: st, mismatch: true}',
		),
		[
			'config.yaml:6:27: rules[2].mismatch: compares the status with the band rules (above, below, outside), and there is none: add one, or remove this rule',
		],
	);
	t.deepEqual(
		problems(
			withStatus,
			'{field: st, mismatch: true}',
			'{field: temp, outside: [0, 50]}',
		),
		[],
	);
	// A device without a status field: the rule's field is a number, or none.
	t.deepEqual(
		problems(
			'{name: temp}',
			'{field: temp, above: {crit: 3}}',
			'{field: temp, mismatch: true}',
		),
		[
			'config.yaml:5:29: rules[1].mismatch: applies to a status field; temp is a number field',
		],
	);
	t.is(
		problems(
			'{name: temp}',
			'{field: temp, above: {crit: 3}}',
			'{field: state, mismatch: true}',
		).length,
		1,
	);
});

test('two rules that fire the same incident type are refused, at the second', (t) => {
	const rules = (...items: string[]) =>
		problemsOf(
			lines(
				'device:',
				'  fields: [{name: temp}, {name: st, type: status, levels: {OK: NORMAL}}]',
				'rules:',
				...items.map((item) => `  - ${item}`),
			),
		);
	t.deepEqual(
		rules('{field: temp, above: {crit: 3}}', '{field: temp, above: {crit: 5}}'),
		[
			'config.yaml:5:26: rules[1].above: fires THRESHOLD_BREACH_TEMP, as rules[0] does: give one of them its own type (type: ...)',
		],
	);
	t.deepEqual(
		rules(
			'{field: temp, above: {crit: 3}, type: HOT}',
			'{field: st, status: true, type: HOT}',
		),
		[
			'config.yaml:5:37: rules[1].type: fires HOT, as rules[0] does: give one of them its own type (type: ...)',
		],
	);
	t.deepEqual(rules('{field: st, status: true, type: HEARTBEAT_LOSS}'), [
		"config.yaml:4:37: rules[0].type: HEARTBEAT_LOSS is the detector's own incident type",
	]);
	t.deepEqual(
		rules(
			'{field: temp, above: {crit: 3}}',
			'{field: temp, below: {crit: 0}}',
			'{field: temp, change: {max: 2}}',
			'{field: temp, change: {max_per_s: 2}}',
		),
		[],
		'a high and a low band, a change per reading and per second: four types',
	);
});

test("a sink's rules filter takes the types this device fires, and suggests the nearest", (t) => {
	const sink = (rules: string) =>
		lines(
			'alerts:',
			'  sinks:',
			`    - {type: slack, url_env: X, rules: [${rules}]}`,
		);
	const builtinTypes =
		'THRESHOLD_BREACH_TEMP, THRESHOLD_BREACH_VOLTAGE, RAPID_CHANGE_TEMP, DEVICE_STATUS, STATUS_MISMATCH, HEARTBEAT_LOSS, PARSE_ERROR_RATE';
	t.deepEqual(problemsOf(sink('THRESHOLD_BREACH_TEMP, HEARTBEAT_LOS')), [
		`config.yaml:3:64: alerts.sinks[0].rules[1]: "HEARTBEAT_LOS" is no incident type of this device (did you mean HEARTBEAT_LOSS?); its types: ${builtinTypes}`,
	]);
	const humidity = lines(
		'device:',
		'  fields: [{name: humidity}]',
		'rules:',
		'  - {field: humidity, above: {crit: 90}}',
	);
	t.deepEqual(
		problemsOf(humidity + sink('PARSE_ERROR_RATE, THRESHOLD_BREACH_HUMIDITY')),
		[],
	);
	t.deepEqual(
		problemsOf(humidity + sink('RAPID_CHANGE_TEMP, THRESHOLD_BREACH_HUMIDTY')),
		[
			'config.yaml:7:41: alerts.sinks[0].rules[0]: "RAPID_CHANGE_TEMP" is no incident type of this device; its types: THRESHOLD_BREACH_HUMIDITY, HEARTBEAT_LOSS, PARSE_ERROR_RATE',
			'config.yaml:7:60: alerts.sinks[0].rules[1]: "THRESHOLD_BREACH_HUMIDTY" is no incident type of this device (did you mean THRESHOLD_BREACH_HUMIDITY?); its types: THRESHOLD_BREACH_HUMIDITY, HEARTBEAT_LOSS, PARSE_ERROR_RATE',
		],
	);
});

test("config.yaml's commented example fields and rules are valid together", (t) => {
	const text = readFileSync(
		new URL('../../config.yaml', import.meta.url),
		'utf8',
	);
	const fields = text
		.split('\n')
		.filter((line) => line.startsWith('  #   - {name:'))
		.map((line) => line.replace('  #', '   '));
	const rules = text
		.split('\n')
		.filter((line) => line.startsWith('#   - {field:'))
		.map((line) => line.replace('#', ' '));
	t.is(fields.length, 3);
	t.is(rules.length, 7);
	const settings = detectorSettings(
		parseConfig(
			lines('device:', '  fields:', ...fields, 'rules:', ...rules),
			'config.yaml',
		),
	);
	t.deepEqual(
		settings.rules.map((rule) => rule.type),
		[
			'THRESHOLD_BREACH_TEMPERATURE',
			'THRESHOLD_BREACH_HUMIDITY_LOW',
			'HUMIDITY_OUT_OF_RANGE',
			'RAPID_CHANGE_TEMPERATURE',
			'DEVICE_STATUS_STATE',
			'STATUS_MISMATCH_STATE',
			'PREDICTED_BREACH_TEMPERATURE',
		],
	);
});

test('a predict rule needs a number field with a crit level to aim at, or it is refused at its key', (t) => {
	const rules = (...items: string[]) =>
		problemsOf(
			lines(
				'device:',
				'  fields:',
				'    - {name: temp}',
				'    - {name: st, type: status, levels: {OK: NORMAL}}',
				'rules:',
				...items.map((item) => `  - ${item}`),
			),
		);
	t.deepEqual(
		rules('{field: temp, predict: {window_s: 300, horizon_s: 900}}'),
		[
			"config.yaml:6:28: rules[0].predict: aims at the field's critical level, and temp has none: add a rule on it with above: {crit: ...}, below: {crit: ...} or outside: [low, high] (severity CRITICAL)",
		],
	);
	t.deepEqual(
		rules(
			'{field: temp, above: {warn: 70}}',
			'{field: temp, outside: [0, 90], severity: WARNING, type: TEMP_RANGE}',
			'{field: temp, predict: {window_s: 300, horizon_s: 900}}',
		),
		[
			"config.yaml:8:28: rules[2].predict: aims at the field's critical level, and temp has none: add a rule on it with above: {crit: ...}, below: {crit: ...} or outside: [low, high] (severity CRITICAL)",
		],
	);
	t.deepEqual(
		rules(
			'{field: temp, above: {crit: 80}}',
			'{field: st, predict: {window_s: 300, horizon_s: 900}}',
		),
		[
			'config.yaml:7:26: rules[1].predict: applies to a number field; st is a status field',
		],
	);
	t.deepEqual(
		rules(
			'{field: temp, above: {crit: 80}}',
			'{field: temp, predict: {window_s: 0, horizon_s: 900, min_readings: 1}, for_s: 3}',
		),
		[
			'config.yaml:7:39: rules[1].predict.window_s: must be above 0, got 0',
			'config.yaml:7:72: rules[1].predict.min_readings: must be at least 2, got 1',
			'config.yaml:7:83: rules[1].for_s: only for a band rule (above, below, outside)',
		],
	);
	t.is(
		rules(
			'{field: temp, above: {crit: 80}}',
			'{field: temp, predict: {window_s: 60, horizon_s: 900, every: 3}}',
		).length,
		1,
	);
	t.deepEqual(
		rules(
			'{field: temp, above: {crit: 80}}',
			'{field: temp, predict: {window_s: 60, horizon_s: 900}, for_s: 3}',
		),
		[
			'config.yaml:7:67: rules[1].for_s: only for a band rule (above, below, outside)',
		],
	);
});

test('a predict rule aims at the lowest crit level above and the highest below, and derives PREDICTED_BREACH_<NAME>', (t) => {
	const config = parseConfig(
		lines(
			'device:',
			'  fields: [{name: temp}]',
			'rules:',
			'  - {field: temp, above: {warn: 60, crit: 85}}',
			'  - {field: temp, outside: [-10, 80], type: TEMP_RANGE}',
			'  - {field: temp, below: {crit: -5}}',
			'  - {field: temp, predict: {window_s: 120, horizon_s: 600}}',
		),
		'config.yaml',
	);
	t.deepEqual(detectorSettings(config).rules.at(-1), {
		kind: 'predict',
		type: 'PREDICTED_BREACH_TEMP',
		field: 'temp',
		window_s: 120,
		horizon_s: 600,
		min_readings: 5,
		above: 80,
		below: -5,
	});
});

test('the built-in device predicts nothing unless thresholds.temperature.predict is written, then aims at max_c', (t) => {
	const plain = detectorSettings(parseConfig('', 'config.yaml'));
	t.false(plain.rules.some((rule) => rule.kind === 'predict'));
	const withPredict = detectorSettings(
		parseConfig(
			lines(
				'thresholds:',
				'  temperature:',
				'    predict: {window_s: 300, horizon_s: 900}',
			),
			'config.yaml',
		),
	);
	t.deepEqual(withPredict.rules.at(-1), {
		kind: 'predict',
		type: 'PREDICTED_BREACH_TEMP',
		field: 'temperature',
		window_s: 300,
		horizon_s: 900,
		min_readings: 5,
		above: 80,
		below: null,
	});
	t.deepEqual(
		problemsOf(
			lines('thresholds:', '  temperature:', '    predict: {window_s: 300}'),
		),
		['config.yaml:3:14: thresholds.temperature.predict.horizon_s: required'],
	);
});
