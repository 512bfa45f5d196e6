import test from 'ava';
import {
	applyEvents,
	postableAlert,
	pruneAlerts,
	resolvedKeepMs,
	type HeldAlert,
} from '../../source/core/alertmanager-alerts.js';
import type {IncidentEvent, ReportEntry} from '../../source/core/incident.js';

function entry(overrides: Partial<ReportEntry> = {}): ReportEntry {
	return {
		timestamp: '2026-01-01T00:00:00.000Z',
		type: 'THRESHOLD_BREACH_TEMP',
		severity: 'CRITICAL',
		description: 'temperature 85.5 °C above 80 °C',
		id: 'i1',
		end: null,
		value: 85.5,
		peak: 90,
		threshold: 80,
		readings: 3,
		first_line: 10,
		last_line: 12,
		...overrides,
	};
}

// A declared device's incident type, which no built-in rule fires.
const humidityBreach =
	// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- no member of the built-in rules' types
	'THRESHOLD_BREACH_HUMIDITY' as unknown as ReportEntry['type'];
const now = Date.parse('2026-01-01T00:01:00.000Z');
const options = {
	identity: {port: '/dev/ttyUSB0', device: 'oven'},
	field: 'temperature',
	now,
	resendIntervalMs: 60_000,
	generatorURL: 'http://host:9464/metrics',
};

test('a firing alert: labels, annotations, its start, and an end four resend intervals ahead', (t) => {
	t.deepEqual(postableAlert({entry: entry(), resolvedAt: undefined}, options), {
		labels: {
			alertname: 'THRESHOLD_BREACH_TEMP',
			severity: 'critical',
			port: '/dev/ttyUSB0',
			device: 'oven',
			incident_id: 'i1',
			field: 'temperature',
		},
		annotations: {
			summary: 'temperature 85.5 °C above 80 °C',
			peak: '90',
			threshold: '80',
			raw_lines: '10-12',
		},
		startsAt: '2026-01-01T00:00:00.000Z',
		endsAt: '2026-01-01T00:05:00.000Z',
		generatorURL: 'http://host:9464/metrics',
	});
});

test('the field label names the field an alert is about; a device-wide one has none', (t) => {
	const humidity = postableAlert(
		{
			entry: entry({type: humidityBreach}),
			resolvedAt: undefined,
		},
		{...options, field: 'humidity'},
	);
	t.like(humidity.labels, {
		alertname: 'THRESHOLD_BREACH_HUMIDITY',
		field: 'humidity',
	});
	const heartbeat = postableAlert(
		{entry: entry({type: 'HEARTBEAT_LOSS'}), resolvedAt: undefined},
		{...options, field: undefined},
	);
	t.false('field' in heartbeat.labels);
});

test('a resolved alert ends at its end; annotations without a value are left out', (t) => {
	const alert = postableAlert(
		{
			entry: entry({
				end: '2026-01-01T00:00:30.000Z',
				peak: null,
				threshold: null,
				first_line: null,
				last_line: null,
			}),
			resolvedAt: now,
		},
		{...options, generatorURL: undefined},
	);
	t.is(alert.endsAt, '2026-01-01T00:00:30.000Z');
	t.deepEqual(Object.keys(alert.annotations), ['summary']);
	t.false('generatorURL' in alert);
});

test('events the sink does not take (severity, rules) change nothing', (t) => {
	const held = new Map<string, HeldAlert>();
	const event = (
		kind: IncidentEvent['event'],
		overrides: Partial<ReportEntry>,
	): IncidentEvent => ({
		event: kind,
		at: '2026-01-01T00:00:00.000Z',
		incident: entry(overrides),
	});
	const filter = {
		min_severity: 'CRITICAL' as const,
		rules: ['THRESHOLD_BREACH_TEMP' as const],
	};
	t.false(
		applyEvents(
			held,
			[
				event('fired', {id: 'w', severity: 'WARNING'}),
				event('fired', {id: 'h', type: 'HEARTBEAT_LOSS'}),
			],
			filter,
			now,
		),
	);
	t.true(applyEvents(held, [event('fired', {id: 'c'})], filter, now));
	t.true(applyEvents(held, [event('resolved', {id: 'c'})], filter, now + 1));
	t.is(held.get('c')?.resolvedAt, now + 1);
});

test('resolved alerts go after a few minutes; past max the oldest resolved go first, then the oldest firing', (t) => {
	const held = new Map<string, HeldAlert>([
		['old-resolved', {entry: entry(), resolvedAt: now - resolvedKeepMs - 1}],
		[
			'resolved',
			{
				entry: entry({timestamp: '2026-01-01T00:00:05.000Z'}),
				resolvedAt: now,
			},
		],
		['firing-1', {entry: entry(), resolvedAt: undefined}],
		[
			'firing-2',
			{
				entry: entry({timestamp: '2026-01-01T00:00:09.000Z'}),
				resolvedAt: undefined,
			},
		],
	]);
	t.is(pruneAlerts(held, now, 3), 0);
	t.deepEqual([...held.keys()], ['resolved', 'firing-1', 'firing-2']);
	t.is(pruneAlerts(held, now, 1), 2);
	t.deepEqual([...held.keys()], ['firing-2']);
});

test('a change of severity resolves the alert under the old severity label', (t) => {
	const held = new Map<string, HeldAlert>();
	const filter = {min_severity: 'WARNING' as const, rules: null};
	const at = '2026-01-01T00:00:30.000Z';
	applyEvents(
		held,
		[{event: 'fired', at, incident: entry({severity: 'WARNING'})}],
		filter,
		now,
	);
	applyEvents(held, [{event: 'worsened', at, incident: entry()}], filter, now);
	const alerts = [...held.values()].map((alert) =>
		postableAlert(alert, options),
	);
	t.deepEqual(
		alerts.map((alert) => [alert.labels['severity'], alert.endsAt]),
		[
			['critical', '2026-01-01T00:05:00.000Z'],
			['warning', at],
		],
	);
});
