import test from 'ava';
import {defaultConfig, detectorSettings} from '../../source/core/config.js';
import {fieldOfType} from '../../source/core/detector.js';
import type {IncidentEvent} from '../../source/core/incident.js';
import type {DetectorSettings, RuleSpec} from '../../source/core/rule-spec.js';
import {openAlertSinks} from '../../source/adapters/alert-sinks.js';
import {openAlertmanagerSink} from '../../source/adapters/alertmanager-sink.js';
import {startAlertPeer} from '../helpers/alert-peer.js';
import {readJson} from '../helpers/json.js';
import {waitUntil} from '../helpers/wait-until.js';

const builtin = detectorSettings(defaultConfig);
// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- a kind the settings may not list yet
const predictRule = {
	kind: 'predict',
	type: 'PREDICTED_BREACH_TEMPERATURE',
	field: 'temperature',
	window_s: 300,
	horizon_s: 900,
} as unknown as RuleSpec;
const settings: DetectorSettings = {
	...builtin,
	rules: [...builtin.rules, predictRule],
};
const description =
	'Temperature 72.4°C rising 0.9°C/min; reaches 80.0°C in about 8 min.';
const fired: IncidentEvent = {
	event: 'fired',
	at: '2026-01-01T12:00:00.000Z',
	incident: {
		timestamp: '2026-01-01T12:00:00.000Z',
		type: 'PREDICTED_BREACH_TEMPERATURE',
		severity: 'WARNING',
		description,
		id: 'PREDICTED_BREACH_TEMPERATURE-1',
		end: null,
		value: 72.4,
		peak: 72.4,
		threshold: 80,
		readings: 12,
		first_line: 100,
		last_line: 111,
	},
};
const common = {
	name: null,
	min_severity: 'WARNING',
	rules: null,
	queue_max: 10,
	timeout_s: 5,
} as const;

test('a PREDICTED_BREACH incident reaches Alertmanager, PagerDuty, Slack and a webhook with its field and its ETA', async (t) => {
	const peer = await startAlertPeer(t);
	const fieldOf = (type: string) => fieldOfType(settings, type);
	const identity = {port: '/dev/ttyUSB0', device: 'oven'};
	const sinks = openAlertSinks(
		[
			{
				...common,
				type: 'pagerduty',
				url: `${peer.url}/pd`,
				routing_key_env: 'PD_KEY',
			},
			{...common, type: 'slack', url_env: 'SLACK_URL'},
			{...common, type: 'webhook', url: `${peer.url}/hook`, url_env: null},
		],
		identity,
		{fieldOf, env: {PD_KEY: 'key', SLACK_URL: `${peer.url}/slack`}},
	)!;
	const alertmanager = openAlertmanagerSink(
		{
			...common,
			type: 'alertmanager',
			url: `${peer.url}/am`,
			resend_interval_s: 60,
		},
		identity,
		{
			name: 'alertmanager',
			fieldOf,
			generatorURL: undefined,
			notice() {
				// Nothing to tell here.
			},
		},
	);
	t.teardown(async () => Promise.all([sinks.close(0), alertmanager.close(0)]));
	sinks.onEvents?.([fired]);
	alertmanager.onEvents?.([fired]);
	const body = (path: string) =>
		peer.accepted.find((received) => received.path.startsWith(path))?.body;
	await waitUntil(
		() => ['/pd', '/slack', '/hook', '/am'].every((path) => body(path)),
		'each sink delivered',
	);

	const pagerDuty = readJson<{
		payload: {
			summary: string;
			custom_details: {field: string; description: string};
		};
	}>(body('/pd')!, {text: true});
	t.is(pagerDuty.payload.custom_details.field, 'temperature');
	t.is(pagerDuty.payload.custom_details.description, description);
	t.true(pagerDuty.payload.summary.includes('reaches 80.0°C in about 8 min'));

	const slack = readJson<{text: string}>(body('/slack')!, {text: true});
	t.true(
		slack.text.includes(
			'WARNING PREDICTED_BREACH_TEMPERATURE (temperature) on oven',
		),
		`slack: ${slack.text}`,
	);
	t.true(
		slack.text.includes('reaches 80.0°C in about 8 min'),
		`slack: ${slack.text}`,
	);

	const webhook = readJson<Record<string, unknown>>(body('/hook')!, {
		text: true,
	});
	t.is(webhook['field'], 'temperature');
	t.is(webhook['description'], description);
	t.is(webhook['type'], 'PREDICTED_BREACH_TEMPERATURE');

	const [alert] = readJson<
		Array<{
			labels: Record<string, string>;
			annotations: Record<string, string>;
		}>
	>(body('/am')!, {text: true});
	t.is(alert?.labels['alertname'], 'PREDICTED_BREACH_TEMPERATURE');
	t.is(alert?.labels['field'], 'temperature');
	t.is(alert?.annotations['summary'], description);
	t.is(alert?.annotations['threshold'], '80');
});
