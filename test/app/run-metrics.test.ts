import test from 'ava';
import {createRunMetrics} from '../../source/app/run-metrics.js';
import {
	type IncidentEvent,
	type IncidentType,
	type ReportEntry,
	incidentTypes,
} from '../../source/core/incident.js';
import type {ReadingRow} from '../../source/app/monitor-state.js';
import {defaultConfig, detectorSettings} from '../../source/core/config.js';
import type {StatusLevel} from '../../source/core/protocol.js';

const run = {port: '/dev/ttyUSB0', device: 'oven'};
const startedAt = Date.UTC(2026, 0, 1, 12, 0, 0);

function metrics(sinks: string[] = []) {
	return createRunMetrics({
		identity: run,
		settings: detectorSettings(defaultConfig),
		version: '1.2.3',
		sinks,
		startedAt,
		defaultMetrics: false,
	});
}

/** Every sample of the text format, `name{labels}` -> value. */
async function samples(
	registry: ReturnType<typeof metrics>['registry'],
): Promise<Map<string, number>> {
	const text = await registry.metrics();
	const map = new Map<string, number>();
	for (const line of text.split('\n')) {
		if (line === '' || line.startsWith('#')) {
			continue;
		}

		const space = line.lastIndexOf(' ');
		map.set(line.slice(0, space), Number(line.slice(space + 1)));
	}

	return map;
}

const labels = (extra = '') =>
	`{port="/dev/ttyUSB0",device="oven"${extra ? `,${extra}` : ''}}`;

function row(
	time: number,
	temperature: number,
	level: StatusLevel = 'NORMAL',
): ReadingRow {
	return {time, reading: {values: [temperature, 5, level], level}};
}

function event(
	kind: IncidentEvent['event'],
	type: IncidentType,
	id: string,
): IncidentEvent {
	const incident: ReportEntry = {
		timestamp: '2026-01-01T12:00:00.000Z',
		type,
		severity: 'CRITICAL',
		description: 'test',
		id,
		end: null,
		value: null,
		peak: null,
		threshold: null,
		readings: 1,
		first_line: 1,
		last_line: 1,
	};
	return {event: kind, at: '2026-01-01T12:00:00.000Z', incident};
}

test('before any line: every rule, level, sink and counter is there at 0, the port down', async (t) => {
	const values = await samples(metrics(['pagerduty', 'slack']).registry);
	for (const rule of incidentTypes) {
		t.is(
			values.get(`serialwatch_incidents_active${labels(`rule="${rule}"`)}`),
			0,
		);
		t.is(
			values.get(`serialwatch_incidents_total${labels(`rule="${rule}"`)}`),
			0,
		);
	}

	for (const level of ['NORMAL', 'WARNING', 'CRITICAL', 'OFFLINE']) {
		t.is(
			values.get(`serialwatch_device_status${labels(`level="${level}"`)}`),
			0,
		);
	}

	for (const sink of ['pagerduty', 'slack']) {
		t.is(values.get(`serialwatch_notifications_total{sink="${sink}"}`), 0);
		t.is(
			values.get(`serialwatch_notifications_failed_total{sink="${sink}"}`),
			0,
		);
	}

	t.is(values.get(`serialwatch_lines_total${labels()}`), 0);
	t.is(values.get(`serialwatch_parse_errors_total${labels()}`), 0);
	t.is(values.get(`serialwatch_port_up${labels()}`), 0);
	t.is(
		values.get(`serialwatch_last_line_timestamp_seconds${labels()}`),
		startedAt / 1000,
	);
	t.is(values.get('serialwatch_build_info{version="1.2.3"}'), 1);
	// A 0 would read as 0 °C: no reading, no series.
	t.false(values.has(`serialwatch_temperature_celsius${labels()}`));
});

test('a scripted run: readings, errors, port status, incidents and notifications', async (t) => {
	const exporter = metrics(['webhook']);
	exporter.onStatus({state: 'open', path: run.port});
	exporter.onReadings([
		row(startedAt + 1000, 25.5),
		row(startedAt + 2000, 75.25, 'WARNING'),
	]);
	exporter.onErrors([
		{
			time: startedAt + 3000,
			line: 3,
			bytes: new Uint8Array(),
			reason: 'bad',
		},
	]);
	exporter.onReadings([]);
	exporter.onEvents([event('fired', 'THRESHOLD_BREACH_TEMP', 'a')]);
	exporter.onEvents([event('worsened', 'THRESHOLD_BREACH_TEMP', 'a')]);
	exporter.notifications.sent('webhook');
	exporter.notifications.sent('webhook');
	exporter.notifications.failed('webhook');

	let values = await samples(exporter.registry);
	t.is(values.get(`serialwatch_port_up${labels()}`), 1);
	t.is(values.get(`serialwatch_temperature_celsius${labels()}`), 75.25);
	t.is(values.get(`serialwatch_voltage_volts${labels()}`), 5);
	t.is(values.get(`serialwatch_lines_total${labels()}`), 3);
	t.is(values.get(`serialwatch_parse_errors_total${labels()}`), 1);
	t.is(
		values.get(`serialwatch_last_line_timestamp_seconds${labels()}`),
		startedAt / 1000 + 3,
	);
	t.is(values.get(`serialwatch_device_status${labels('level="WARNING"')}`), 1);
	t.is(values.get(`serialwatch_device_status${labels('level="NORMAL"')}`), 0);
	const breach = labels('rule="THRESHOLD_BREACH_TEMP"');
	t.is(values.get(`serialwatch_incidents_active${breach}`), 1);
	t.is(values.get(`serialwatch_incidents_total${breach}`), 1);
	t.is(values.get('serialwatch_notifications_total{sink="webhook"}'), 2);
	t.is(values.get('serialwatch_notifications_failed_total{sink="webhook"}'), 1);

	exporter.onEvents([
		event('resolved', 'THRESHOLD_BREACH_TEMP', 'a'),
		event('fired', 'HEARTBEAT_LOSS', 'b'),
	]);
	exporter.onStatus({state: 'lost', path: run.port, reason: 'unplugged'});
	exporter.onReadings([row(startedAt + 4000, 20, 'CRITICAL')]);
	values = await samples(exporter.registry);
	t.is(values.get(`serialwatch_incidents_active${breach}`), 0);
	t.is(values.get(`serialwatch_incidents_total${breach}`), 1);
	t.is(
		values.get(
			`serialwatch_incidents_active${labels('rule="HEARTBEAT_LOSS"')}`,
		),
		1,
	);
	t.is(values.get(`serialwatch_port_up${labels()}`), 0);
	t.is(values.get(`serialwatch_device_status${labels('level="WARNING"')}`), 0);
	t.is(values.get(`serialwatch_device_status${labels('level="CRITICAL"')}`), 1);
});

test('a resolution of an incident this run never saw fire leaves the gauge at 0', async (t) => {
	const exporter = metrics();
	exporter.onEvents([event('resolved', 'DEVICE_STATUS', 'earlier')]);
	exporter.onEvents([
		event('fired', 'DEVICE_STATUS', 'x'),
		event('fired', 'DEVICE_STATUS', 'x'),
	]);
	const values = await samples(exporter.registry);
	t.is(
		values.get(`serialwatch_incidents_active${labels('rule="DEVICE_STATUS"')}`),
		1,
	);
	t.is(
		values.get(`serialwatch_incidents_total${labels('rule="DEVICE_STATUS"')}`),
		1,
	);
});

test('no timestamps on samples, no type label, counters end in _total', async (t) => {
	const exporter = metrics(['slack']);
	exporter.onReadings([row(startedAt, 30)]);
	const text = await exporter.registry.metrics();
	for (const line of text
		.split('\n')
		.filter((line) => line && !line.startsWith('#'))) {
		// name{labels} value: two fields, no third (a timestamp).
		t.regex(line, /^\S+(?:{[^}]*})? \S+$/, `sample: ${line}`);
		t.notRegex(line, /[{,]type="/);
	}

	for (const match of text.matchAll(/^# TYPE (\S+) counter$/gm)) {
		t.true(match[1]!.endsWith('_total'), `counter: ${match[1]!}`);
	}
});
