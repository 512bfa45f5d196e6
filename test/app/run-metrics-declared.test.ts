import {spawnSync} from 'node:child_process';
import test from 'ava';
import {createRunMetrics} from '../../source/app/run-metrics.js';
import {
	fieldMetric,
	isOwnMetricName,
	ownMetricNames,
	statusMetricName,
} from '../../source/core/metric-names.js';
import type {
	DeviceProfile,
	NumberField,
} from '../../source/core/device-profile.js';
import type {DetectorSettings} from '../../source/core/rule-spec.js';
import type {IncidentEvent} from '../../source/core/incident.js';
import {requirePromtool} from '../helpers/prometheus.js';

const run = {port: '/dev/ttyACM0', device: 'greenhouse'};
const startedAt = Date.UTC(2026, 0, 1, 12, 0, 0);

function numberField(
	name: string,
	unit: string,
	extra: Partial<NumberField> = {},
): NumberField {
	return {
		type: 'number',
		name,
		key: name,
		label: name[0]!.toUpperCase() + name.slice(1),
		unit,
		range: [-1000, 1_000_000],
		decimals: 1,
		optional: false,
		metric: undefined,
		...extra,
	};
}

const profile: DeviceProfile = {
	name: 'greenhouse',
	builtin: false,
	format: {type: 'pairs', assign: ':', separators: ','},
	unknownKeys: 'ignore',
	fields: [
		numberField('temperature', '°C'),
		numberField('humidity', '%'),
		numberField('pressure', 'hPa'),
		numberField('co2', 'ppm'),
		numberField('soil', '', {
			metric: 'greenhouse_soil_moisture',
			optional: true,
		}),
		{
			type: 'status',
			name: 'state',
			key: 'st',
			label: 'State',
			optional: false,
			levels: [
				{match: 'exact', value: 'OK', level: 'NORMAL'},
				{match: 'exact', value: 'HOT', level: 'WARNING'},
				{match: 'exact', value: 'DOWN', level: 'OFFLINE'},
			],
		},
	],
};

const settings: DetectorSettings = {
	profile,
	rules: [
		{
			kind: 'change',
			type: 'RAPID_CHANGE_TEMPERATURE',
			field: 'temperature',
			max: 2,
			per: 'reading',
		},
		{kind: 'status', type: 'DEVICE_STATUS', field: 'state'},
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
			kind: 'below',
			type: 'THRESHOLD_BREACH_HUMIDITY',
			field: 'humidity',
			warn: null,
			crit: 20,
			for_s: 0,
			clear_margin: 0,
		},
	],
	heartbeat_timeout_s: 5,
	parse_errors: {max_per_min: 10},
};

function metrics() {
	return createRunMetrics({
		identity: run,
		settings,
		version: '1.2.3',
		sinks: [],
		startedAt,
		defaultMetrics: false,
	});
}

async function samples(
	registry: ReturnType<typeof metrics>['registry'],
): Promise<Map<string, number>> {
	const map = new Map<string, number>();
	const text = await registry.metrics();
	for (const line of text.split('\n')) {
		if (line !== '' && !line.startsWith('#')) {
			const space = line.lastIndexOf(' ');
			map.set(line.slice(0, space), Number(line.slice(space + 1)));
		}
	}

	return map;
}

const labels = (extra = '') =>
	`{port="/dev/ttyACM0",device="greenhouse"${extra ? `,${extra}` : ''}}`;

test('field names and units give the metric names, in base units; a declared metric: is used as is', (t) => {
	t.like(fieldMetric({name: 'temperature', unit: '°C', metric: undefined}), {
		name: 'serialwatch_temperature_celsius',
	});
	t.like(fieldMetric({name: 'humidity', unit: '%', metric: undefined}), {
		name: 'serialwatch_humidity_percent',
	});
	const pressure = fieldMetric({
		name: 'pressure',
		unit: 'hPa',
		metric: undefined,
	});
	t.is(pressure.name, 'serialwatch_pressure_pascals');
	t.is(pressure.scale(1013.2), 101_320);
	const battery = fieldMetric({name: 'battery', unit: 'mV', metric: undefined});
	t.is(battery.name, 'serialwatch_battery_volts');
	t.is(battery.scale(3301.5), 3.3015);
	t.like(fieldMetric({name: 'co2', unit: 'ppm', metric: undefined}), {
		name: 'serialwatch_co2',
		unstatedUnit: 'ppm',
	});
	t.like(
		fieldMetric({name: 'toString', unit: 'constructor', metric: undefined}),
		{
			name: 'serialwatch_toString',
		},
	);
	t.like(fieldMetric({name: 'soil', unit: '%', metric: 'soil_moisture'}), {
		name: 'soil_moisture',
	});
});

test('before any reading: no number series, every status level and every rule type at 0', async (t) => {
	const map = await samples(metrics().registry);
	t.false(
		[...map.keys()].some((key) =>
			/temperature_celsius|humidity|pascals|co2|soil/.test(key),
		),
	);
	for (const level of ['NORMAL', 'WARNING', 'CRITICAL', 'OFFLINE']) {
		t.is(map.get(`serialwatch_state_status${labels(`level="${level}"`)}`), 0);
		t.is(map.get(`serialwatch_device_status${labels(`level="${level}"`)}`), 0);
	}

	const rules = [...map.keys()]
		.filter((key) => key.startsWith('serialwatch_incidents_total'))
		.map((key) => /rule="(\w+)"/.exec(key)![1]);
	// Report order: band rules, change rules, the heartbeat, status rules, the parse-error rate.
	t.deepEqual(rules, [
		'THRESHOLD_BREACH_TEMPERATURE',
		'THRESHOLD_BREACH_HUMIDITY',
		'RAPID_CHANGE_TEMPERATURE',
		'HEARTBEAT_LOSS',
		'DEVICE_STATUS',
		'PARSE_ERROR_RATE',
	]);
});

test('a reading sets each field, scaled to its base unit; an absent optional field keeps its value; status levels move', async (t) => {
	const m = metrics();
	m.onReadings([
		{
			time: startedAt + 100,
			reading: {values: [24.5, 45, 1013.2, 420, 31, 'OK'], level: 'NORMAL'},
		},
	]);
	m.onReadings([
		{
			time: startedAt + 200,
			reading: {
				values: [31.5, 44, 1013.3, 421, undefined, 'HOT'],
				level: 'WARNING',
			},
		},
	]);
	const map = await samples(m.registry);
	t.is(map.get(`serialwatch_temperature_celsius${labels()}`), 31.5);
	t.is(map.get(`serialwatch_humidity_percent${labels()}`), 44);
	t.is(map.get(`serialwatch_pressure_pascals${labels()}`), 101_330);
	t.is(map.get(`serialwatch_co2${labels()}`), 421);
	t.is(map.get(`greenhouse_soil_moisture${labels()}`), 31);
	t.is(map.get(`serialwatch_state_status${labels('level="WARNING"')}`), 1);
	t.is(map.get(`serialwatch_state_status${labels('level="NORMAL"')}`), 0);
	t.is(map.get(`serialwatch_device_status${labels('level="WARNING"')}`), 1);
	t.is(map.get(`serialwatch_lines_total${labels()}`), 2);

	// IncidentType still lists only the built-in types.
	// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion
	const fired: IncidentEvent = {
		event: 'fired',
		at: '2026-01-01T12:00:00.000Z',
		incident: {
			timestamp: '2026-01-01T12:00:00.000Z',
			type: 'THRESHOLD_BREACH_TEMPERATURE',
			severity: 'WARNING',
			description: 'x',
			id: 'a',
			end: null,
			value: 31.5,
			peak: 31.5,
			threshold: 30,
			readings: 1,
			first_line: 2,
			last_line: 2,
		},
	} as unknown as IncidentEvent;
	m.onEvents([fired]);
	const after = await samples(m.registry);
	t.is(
		after.get(
			`serialwatch_incidents_active${labels('rule="THRESHOLD_BREACH_TEMPERATURE"')}`,
		),
		1,
	);
});

test('promtool check metrics accepts a declared device, before and after readings', async (t) => {
	if (!requirePromtool(t)) {
		return;
	}

	const m = metrics();
	const check = async () => {
		const result = spawnSync('promtool', ['check', 'metrics'], {
			input: await m.registry.metrics(),
			encoding: 'utf8',
		});
		t.is(result.status, 0, `${result.stdout}${result.stderr}`);
		t.is(
			`${result.stdout}${result.stderr}`.trim(),
			'',
			'no lint warnings either',
		);
	};

	await check();
	m.onReadings([
		{
			time: startedAt + 100,
			reading: {values: [24.5, 45, 1013.2, 420, 31, 'DOWN'], level: 'OFFLINE'},
		},
	]);
	await check();
});

test("the names the config checks fields against are the run's own: each metric registered is a field's or one of them", (t) => {
	const {registry} = createRunMetrics({
		identity: run,
		settings,
		version: '1.2.3',
		sinks: ['slack'],
		startedAt,
	});
	const fields = new Set(
		profile.fields.flatMap((field) =>
			field.type === 'number'
				? [fieldMetric(field).name]
				: [statusMetricName(field)],
		),
	);
	const names = registry.getMetricsAsArray().map(({name}) => name);
	t.true(names.length > ownMetricNames.size);
	for (const name of names) {
		t.true(
			fields.has(name) || isOwnMetricName(name),
			`${name} is a field's or the run's own`,
		);
	}

	for (const name of ownMetricNames) {
		t.true(names.includes(name), `${name} is registered`);
	}
});
