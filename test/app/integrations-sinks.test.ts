import test from 'ava';
import {defaultConfig, type Config} from '../../source/core/config.js';
import {InputError} from '../../source/core/input-error.js';
import {openIntegrations} from '../../source/app/integrations.js';
import {startAlertPeer} from '../helpers/alert-peer.js';
import {incidentEvent} from '../helpers/incident-events.js';
import {patienceMs} from '../helpers/patience.js';

const withSinks = (sinks: Config['alerts']['sinks']): Config => ({
	...defaultConfig,
	alerts: {sinks},
});
const common = {
	name: null,
	min_severity: 'WARNING',
	rules: null,
	queue_max: 10,
	timeout_s: 1,
} as const;
const identity = {port: 'demo', device: 'demo'};

test("the run does not begin when a sink's secret variable is unset: the variable and the sink are named", async (t) => {
	const error = await t.throwsAsync(
		openIntegrations(
			withSinks([
				{
					...common,
					type: 'pagerduty',
					url: 'http://127.0.0.1:9/pd',
					routing_key_env: 'NO_SUCH_KEY_VAR',
				},
			]),
			identity,
			{env: {}},
		),
		{instanceOf: InputError},
	);
	t.regex(
		error?.message ?? '',
		/alerts\.sinks\[0] \(pagerduty\): the environment variable NO_SUCH_KEY_VAR is not set/,
	);
});

test('each PagerDuty, Slack and webhook sink is on, with its health, and nothing without sinks', async (t) => {
	const observers = await openIntegrations(
		withSinks([
			{
				...common,
				type: 'pagerduty',
				url: 'http://127.0.0.1:9/pd',
				routing_key_env: 'KEY',
			},
			{...common, type: 'slack', url_env: 'HOOK', name: 'chat'},
			{...common, type: 'webhook', url: 'http://127.0.0.1:9/w', url_env: null},
		]),
		identity,
		{env: {KEY: 'k', HOOK: 'http://127.0.0.1:9/s'}},
	);
	t.teardown(async () => Promise.all(observers.map(async (o) => o.close(0))));
	t.deepEqual(
		observers.flatMap((observer) => observer.health()),
		['pagerduty', 'chat', 'webhook'].map((name) => ({
			name,
			ok: true,
			detail: '0 sent',
		})),
	);
	t.deepEqual(await openIntegrations(defaultConfig, identity, {env: {}}), []);
});

test("with the exporter on, each sink's deliveries and losses are its serialwatch_notifications series", async (t) => {
	const peer = await startAlertPeer(t);
	peer.script('/rejects', [{status: 400}]);
	const observers = await openIntegrations(
		{
			...withSinks([
				{...common, type: 'webhook', url: `${peer.url}/ok`, url_env: null},
				{
					...common,
					type: 'webhook',
					url: `${peer.url}/rejects`,
					url_env: null,
				},
			]),
			exporters: {
				...defaultConfig.exporters,
				prometheus: {listen: '127.0.0.1:0'},
			},
		},
		identity,
		{env: {}},
	);
	t.teardown(async () => Promise.all(observers.map(async (o) => o.close(0))));
	const health = observers.flatMap((observer) => observer.health());
	const address = /prometheus (\S+)/.exec(health[0]?.name ?? '')?.[1];
	t.truthy(address, `${JSON.stringify(health)}`);
	for (const observer of observers) {
		observer.onEvents?.([incidentEvent('fired')]);
	}

	const metrics = async () => {
		const response = await fetch(`http://${address ?? ''}/metrics`);
		return response.text();
	};

	// The rejected one is counted once its answer came.
	const counted = 'serialwatch_notifications_failed_total{sink="webhook-2"} 1';
	let text = await metrics();
	const deadline = Date.now() + patienceMs;
	while (!text.includes(counted) && Date.now() < deadline) {
		// eslint-disable-next-line no-await-in-loop -- polling
		await new Promise((resolve) => {
			setTimeout(resolve, 50);
		});
		// eslint-disable-next-line no-await-in-loop -- polling
		text = await metrics();
	}

	t.true(text.includes(counted), `${text}`);
	t.true(
		text.includes('serialwatch_notifications_total{sink="webhook"} 1'),
		`${text}`,
	);
	t.true(
		text.includes('serialwatch_notifications_failed_total{sink="webhook"} 0'),
		`${text}`,
	);
});
