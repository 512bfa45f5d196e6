import test from 'ava';
import {defaultConfig, type Config} from '../../source/core/config.js';
import {InputError} from '../../source/core/input-error.js';
import {openIntegrations} from '../../source/app/integrations.js';

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
