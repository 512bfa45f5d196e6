import test from 'ava';
import {
	pagerDutyEvent,
	type PagerDutyEvent,
	rawLines,
	sinkTakes,
	slackMessage,
	webhookBody,
} from '../../source/core/alert-payloads.js';
import type {ReportEntry} from '../../source/core/incident.js';
import {sinkNames} from '../../source/core/sink-names.js';
import {createTokenBucket} from '../../source/core/token-bucket.js';
import {defaultConfig} from '../../source/core/config.js';
import {
	entry,
	incidentEvent,
	incidentLife,
} from '../helpers/incident-events.js';

const labels = {port: '/dev/ttyUSB0', device: 'boiler'};

// A declared device's incident type, which no built-in rule fires.
const humidityBreach =
	// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- no member of the built-in rules' types
	'THRESHOLD_BREACH_HUMIDITY' as unknown as ReportEntry['type'];

test('PagerDuty: a trigger with every required field on fired and worsened, a resolve on resolved, one dedup_key throughout', (t) => {
	const [fired, worsened, resolved] = incidentLife().map(
		(event): PagerDutyEvent =>
			pagerDutyEvent(event, 'KEY', labels, {
				host: 'host1',
				field: 'temperature',
			}),
	);
	if (!fired) {
		throw new Error('no events');
	}

	t.deepEqual(fired, {
		routing_key: 'KEY',
		event_action: 'trigger',
		dedup_key: 'THRESHOLD_BREACH_TEMP-9f3a2b1c4d5e6f70',
		client: 'serialwatch',
		payload: {
			summary:
				'THRESHOLD_BREACH_TEMP on boiler: Temperature 86.0°C exceeded the 85°C warning threshold',
			source: 'host1:/dev/ttyUSB0',
			severity: 'warning',
			timestamp: '2026-12-01T10:00:00.000Z',
			component: 'boiler',
			group: '/dev/ttyUSB0',
			class: 'THRESHOLD_BREACH_TEMP',
			custom_details: {...entry(), field: 'temperature'},
		},
	});
	t.like(worsened, {
		event_action: 'trigger',
		dedup_key: fired.dedup_key,
		payload: {severity: 'critical', timestamp: '2026-12-01T10:00:04.000Z'},
	});
	t.deepEqual(resolved, {
		routing_key: 'KEY',
		event_action: 'resolve',
		dedup_key: fired.dedup_key,
	});
});

test('PagerDuty: a summary is clipped to its 1024 characters', (t) => {
	const long = pagerDutyEvent(
		incidentEvent('fired', {description: 'x'.repeat(5000)}),
		'KEY',
		labels,
		{host: 'h', field: undefined},
	);
	t.is(long.payload?.summary.length, 1024);
	t.true(long.payload?.summary.endsWith('x…'));
});

test('Slack: one line naming the event, severity, rule, device, description and raw.log lines; markup escaped', (t) => {
	const [fired, , resolved] = incidentLife();
	t.deepEqual(slackMessage(fired!, labels, 'temperature'), {
		text: '[fired] WARNING THRESHOLD_BREACH_TEMP (temperature) on boiler (/dev/ttyUSB0): Temperature 86.0°C exceeded the 85°C warning threshold (raw.log line 120)',
	});
	t.regex(
		slackMessage(resolved!, labels, 'temperature').text,
		/^\[resolved] CRITICAL .* \(raw\.log lines 120-128\)$/,
	);
	t.deepEqual(
		slackMessage(
			incidentEvent('fired', {
				description: '<!channel> a & b\nc',
				first_line: null,
				last_line: null,
			}),
			{port: 'demo', device: 'x'},
			undefined,
		),
		{
			text: '[fired] WARNING THRESHOLD_BREACH_TEMP on x (demo): &lt;!channel&gt; a &amp; b c',
		},
	);
	t.is(rawLines(entry({first_line: 3, last_line: 9})), '3-9');
});

test('generic webhook: the headless JSON line with the port, device and field', (t) => {
	const event = incidentEvent('fired');
	t.deepEqual(webhookBody(event, labels, 'temperature'), {
		event: 'fired',
		at: event.at,
		...event.incident,
		port: '/dev/ttyUSB0',
		device: 'boiler',
		field: 'temperature',
	});
	const heartbeat = incidentEvent('fired', {type: 'HEARTBEAT_LOSS'});
	t.is(webhookBody(heartbeat, labels, undefined)['field'], null);
});

test("a declared device's incident names its field in every payload", (t) => {
	const event = incidentEvent('fired', {
		type: humidityBreach,
		description: 'Humidity 18.0% was below threshold of 20.0%.',
	});
	const greenhouse = {port: '/dev/ttyACM0', device: 'greenhouse-3'};
	t.like(
		pagerDutyEvent(event, 'KEY', greenhouse, {host: 'h', field: 'humidity'}),
		{
			payload: {
				class: 'THRESHOLD_BREACH_HUMIDITY',
				custom_details: {type: 'THRESHOLD_BREACH_HUMIDITY', field: 'humidity'},
			},
		},
	);
	t.is(
		slackMessage(event, greenhouse, 'humidity').text,
		'[fired] WARNING THRESHOLD_BREACH_HUMIDITY (humidity) on greenhouse-3 (/dev/ttyACM0): Humidity 18.0% was below threshold of 20.0%. (raw.log line 120)',
	);
	t.like(webhookBody(event, greenhouse, 'humidity'), {
		type: 'THRESHOLD_BREACH_HUMIDITY',
		field: 'humidity',
	});
});

test('a sink takes the rules it lists (all by default) at its minimum severity or above', (t) => {
	const warning = entry();
	const critical = entry({severity: 'CRITICAL'});
	const heartbeat = entry({type: 'HEARTBEAT_LOSS', severity: 'CRITICAL'});
	const all = {min_severity: 'WARNING', rules: null} as const;
	const paging = {min_severity: 'CRITICAL', rules: null} as const;
	const onlyHeartbeat = {
		min_severity: 'WARNING',
		rules: ['HEARTBEAT_LOSS'],
	} as const;
	t.deepEqual(
		[all, paging, onlyHeartbeat].map((sink) =>
			[warning, critical, heartbeat].map((incident) =>
				sinkTakes({...sink, rules: sink.rules && [...sink.rules]}, incident),
			),
		),
		[
			[true, true, true],
			[false, true, true],
			[false, false, true],
		],
	);
});

test('sinks are named by their name, or their type numbered from the second of it', (t) => {
	const common = {
		min_severity: 'WARNING',
		rules: null,
		queue_max: 1,
		timeout_s: 1,
	} as const;
	t.deepEqual(
		sinkNames([
			{...common, type: 'webhook', name: null, url: 'http://a', url_env: null},
			{...common, type: 'slack', name: null, url_env: 'S'},
			{...common, type: 'webhook', name: null, url: 'http://b', url_env: null},
			{...common, type: 'webhook', name: 'ops', url: 'http://c', url_env: null},
		]),
		['webhook', 'slack', 'webhook-2', 'ops'],
	);
	t.deepEqual(sinkNames(defaultConfig.alerts.sinks), []);
});

test('a token bucket lets a burst of its capacity through, then one per refill', (t) => {
	const bucket = createTokenBucket({capacity: 2, perSecond: 2}, 0);
	t.deepEqual(
		[0, 0, 0, 100, 500, 500, 2000, 2000, 2000].map((now) => bucket.take(now)),
		[0, 0, 500, 400, 0, 500, 0, 0, 500],
	);
});
