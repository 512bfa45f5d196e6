import {createServer} from 'node:net';
import {setTimeout as delay} from 'node:timers/promises';
import test from 'ava';
import {openAlertSinks} from '../../source/adapters/alert-sinks.js';
import type {AlertSinkConfig} from '../../source/core/config.js';
import {InputError} from '../../source/core/input-error.js';
import {webhookBody} from '../../source/core/alert-payloads.js';
import {startAlertPeer, type AlertPeer} from '../helpers/alert-peer.js';
import {incidentEvent, incidentLife} from '../helpers/incident-events.js';
import {waitUntil} from '../helpers/wait-until.js';
import {readJson} from '../helpers/json.js';

// The built-in rules' fields: THRESHOLD_BREACH_TEMP is about the temperature.
const fieldOf = (type: string) =>
	type.endsWith('_TEMP') ? 'temperature' : undefined;
const labels = {port: '/dev/ttyUSB0', device: 'boiler'};
const common = {
	name: null,
	min_severity: 'WARNING',
	rules: null,
	queue_max: 100,
	timeout_s: 0.5,
} as const;
const routingKey = 'R0UTINGKEY0123456789abcdef012345';
const slackToken = 'T0000/B0000/XXXXSECRETXXXX';
const fast = {firstMs: 20, maxMs: 200};

function threeSinks(url: string): AlertSinkConfig[] {
	return [
		{
			...common,
			type: 'pagerduty',
			url: `${url}/pd`,
			routing_key_env: 'TEST_PD_KEY',
		},
		{...common, type: 'slack', url_env: 'TEST_SLACK_URL'},
		{...common, type: 'webhook', url: `${url}/hook`, url_env: null},
	];
}

const environment = (peer: {url: string}) => ({
	TEST_PD_KEY: routingKey,
	TEST_SLACK_URL: `${peer.url}/slack/${slackToken}`,
});

const bodies = (peer: AlertPeer, path: string) =>
	peer.accepted
		.filter((received) => received.path.startsWith(path))
		.map((received) =>
			readJson<Record<string, unknown> & {payload?: Record<string, unknown>}>(
				received.body,
				{text: true},
			),
		);
const gaps = (peer: AlertPeer, path: string) =>
	peer.all
		.filter((received) => received.path.startsWith(path))
		.map((received, index, list) => received.at - (list[index - 1]?.at ?? 0))
		.slice(1);

test('after 500s, a 429 with Retry-After and a hang, every event reaches each sink exactly once, in order, in its shape', async (t) => {
	const peer = await startAlertPeer(t);
	const faults = [
		{status: 500},
		{status: 429, retryAfter: '1'},
		'hang' as const,
		{status: 503},
	];
	peer.script('/pd', faults);
	peer.script(`/slack/${slackToken}`, faults);
	peer.script('/hook', faults);
	const counted: string[] = [];
	const sinks = openAlertSinks(threeSinks(peer.url), labels, {
		fieldOf,
		env: environment(peer),
		host: 'host1',
		backoff: fast,
		notifications: {
			sent(sink) {
				counted.push(`sent ${sink}`);
			},
			failed(sink) {
				counted.push(`failed ${sink}`);
			},
		},
	})!;
	t.teardown(async () => sinks.close(0));
	const events = incidentLife();
	for (const event of events) sinks.onEvents!([event]);
	await waitUntil(
		() => peer.accepted.length === 9,
		'the peer has them',
		20_000,
	);
	await delay(300);
	t.is(peer.accepted.length, 9);

	const pagerDuty = bodies(peer, '/pd');
	t.deepEqual(
		pagerDuty.map(
			(body) => `${String(body['event_action'])} ${String(body['dedup_key'])}`,
		),
		[
			'trigger THRESHOLD_BREACH_TEMP-9f3a2b1c4d5e6f70',
			'trigger THRESHOLD_BREACH_TEMP-9f3a2b1c4d5e6f70',
			'resolve THRESHOLD_BREACH_TEMP-9f3a2b1c4d5e6f70',
		],
	);
	for (const body of pagerDuty) t.is(body['routing_key'], routingKey);
	t.like(pagerDuty[0], {
		payload: {source: 'host1:/dev/ttyUSB0', severity: 'warning'},
	});
	t.like(pagerDuty[1], {payload: {severity: 'critical'}});
	t.true(
		['summary', 'source', 'severity'].every(
			(key) => key in (pagerDuty[0]!.payload ?? {}),
		),
	);
	t.deepEqual(
		bodies(peer, '/slack').map((body) =>
			String(body['text']).split(' ', 2).join(' '),
		),
		['[fired] WARNING', '[worsened] CRITICAL', '[resolved] CRITICAL'],
	);
	t.deepEqual(
		bodies(peer, '/hook'),
		events.map((event) => webhookBody(event, labels, 'temperature')),
	);
	// Retry-After's second, then Slack's message a second throughout.
	t.true(gaps(peer, '/hook')[1]! >= 950, `waited ${gaps(peer, '/hook')[1]} ms`);
	// Measured where the messages arrive, which is later than they were sent by the time a
	// busy machine takes to carry them (the first, which opens the connection, most): a
	// late arrival shortens the next gap by as much. So each gap has slack, and the span
	// of them all has one second of it.
	const slackGaps = gaps(peer, '/slack');
	t.true(
		slackGaps.every((gap) => gap >= 500) &&
			slackGaps.reduce((sum, gap) => sum + gap, 0) >=
				(slackGaps.length - 1) * 1000,
		`gaps ${slackGaps.join(' ')}`,
	);
	t.deepEqual(
		sinks.health(),
		['pagerduty', 'slack', 'webhook'].map((name) => ({
			name,
			ok: true,
			detail: '3 sent',
		})),
	);
	t.deepEqual(counted.toSorted(), [
		...Array.from({length: 3}, () => 'sent pagerduty'),
		...Array.from({length: 3}, () => 'sent slack'),
		...Array.from({length: 3}, () => 'sent webhook'),
	]);
});

test('a refused connection: the events wait and arrive once the peer listens', async (t) => {
	const port = await freePort();
	const sinks = openAlertSinks(
		[
			{
				...common,
				type: 'webhook',
				url: `http://127.0.0.1:${port}/hook`,
				url_env: null,
			},
		],
		labels,
		{fieldOf, env: {}, backoff: fast},
	)!;
	t.teardown(async () => sinks.close(0));
	sinks.onEvents!(incidentLife());
	await waitUntil(() => !sinks.health()[0]!.ok, 'the peer has them', 5000);
	t.regex(
		sinks.health()[0]!.detail,
		/^0 sent, 3 queued; last attempt failed: ECONNREFUSED/,
	);
	const peer = await startAlertPeer(t, port);
	await waitUntil(() => peer.accepted.length === 3, 'the peer has them', 5000);
	await delay(300);
	t.deepEqual(
		bodies(peer, '/hook').map((body) => body['event']),
		['fired', 'worsened', 'resolved'],
	);
	t.deepEqual(sinks.health()[0], {name: 'webhook', ok: true, detail: '3 sent'});
});

test('a sink takes only its rules at its minimum severity', async (t) => {
	const peer = await startAlertPeer(t);
	const sinks = openAlertSinks(
		[
			{
				...common,
				type: 'webhook',
				url: `${peer.url}/critical`,
				url_env: null,
				min_severity: 'CRITICAL',
			},
			{
				...common,
				type: 'webhook',
				url: `${peer.url}/heartbeat`,
				url_env: null,
				rules: ['HEARTBEAT_LOSS'],
			},
		],
		labels,
		{fieldOf, env: {}, backoff: fast},
	)!;
	t.teardown(async () => sinks.close(0));
	sinks.onEvents!([
		...incidentLife(),
		incidentEvent('fired', {type: 'HEARTBEAT_LOSS', id: 'HEARTBEAT_LOSS-1'}),
	]);
	await waitUntil(() => peer.accepted.length === 3, 'the peer has them', 5000);
	await delay(200);
	t.deepEqual(
		peer.accepted
			.map(
				(received) =>
					`${received.path} ${readJson<{event: string}>(received.body, {text: true}).event}`,
			)
			.toSorted(),
		['/critical resolved', '/critical worsened', '/heartbeat fired'],
	);
	t.deepEqual(
		sinks.health().map((health) => health.name),
		['webhook', 'webhook-2'],
	);
});

test('an unset secret variable stops the run before it begins, naming the variable and the sink, never a value', (t) => {
	const error = t.throws(
		() =>
			openAlertSinks(threeSinks('http://127.0.0.1:9'), labels, {
				fieldOf,
				env: {TEST_PD_KEY: routingKey, TEST_SLACK_URL: ''},
			}),
		{instanceOf: InputError},
	);
	t.is(
		error?.message,
		"alerts.sinks[1] (slack): the environment variable TEST_SLACK_URL is not set; it must hold the Slack webhook's URL",
	);
	const notUrl = t.throws(() =>
		openAlertSinks(threeSinks('http://127.0.0.1:9'), labels, {
			fieldOf,
			env: {TEST_SLACK_URL: `ftp://${slackToken}`},
		}),
	);
	t.regex(notUrl?.message ?? '', /TEST_PD_KEY is not set/);
	t.regex(notUrl?.message ?? '', /TEST_SLACK_URL does not hold an http/);
	t.false(notUrl?.message.includes(slackToken));
	t.is(openAlertSinks([], labels, {fieldOf, env: {}}), undefined);
});

test('a peer that refuses the key: said once, counted, never retried, and the key is never shown', async (t) => {
	const peer = await startAlertPeer(t);
	const refusal = {
		status: 400,
		body: `{"message":"Invalid routing key ${routingKey}"}`,
	};
	peer.script('/pd', [refusal, refusal, refusal]);
	peer.script(`/slack/${slackToken}`, [{status: 404, body: 'no_service'}]);
	const notices: string[] = [];
	const failed: string[] = [];
	const sinks = openAlertSinks(threeSinks(peer.url).slice(0, 2), labels, {
		fieldOf,
		env: environment(peer),
		backoff: fast,
		onNotice(message) {
			notices.push(message);
		},
		notifications: {
			sent() {
				// Not under test.
			},
			failed(sink) {
				failed.push(sink);
			},
		},
	})!;
	t.teardown(async () => sinks.close(0));
	sinks.onEvents!(incidentLife());
	await waitUntil(() => peer.all.length === 4, 'the peer has them', 5000);
	await delay(1200);
	t.is(
		peer.all.length,
		5,
		'three refused for PagerDuty, one for Slack and two delivered',
	);
	t.deepEqual(failed.toSorted(), [
		'pagerduty',
		'pagerduty',
		'pagerduty',
		'slack',
	]);
	t.is(notices.length, 2);
	const shown = [
		...notices,
		...sinks.health().map((health) => health.detail),
	].join('\n');
	t.regex(shown, /pagerduty: the peer refused an event with HTTP 400/);
	t.regex(shown, /Invalid routing key <secret>/);
	t.false(shown.includes(routingKey));
	t.false(shown.includes(slackToken));
});

test('close() against a hung peer returns by its deadline and counts what was not sent', async (t) => {
	const peer = await startAlertPeer(t);
	peer.hangAll(true);
	const sinks = openAlertSinks(
		[
			{
				...common,
				type: 'webhook',
				url: `${peer.url}/hook`,
				url_env: null,
				timeout_s: 30,
			},
		],
		labels,
		{fieldOf, env: {}, backoff: fast},
	)!;
	sinks.onEvents!(incidentLife());
	await waitUntil(() => peer.all.length === 1, 'the peer has them', 5000);
	const started = performance.now();
	await sinks.close(300);
	const took = performance.now() - started;
	// Far below the request's own 30 s timeout, which a close without a deadline would wait.
	t.true(took >= 290 && took < 10_000, `${took} ms`);
	t.deepEqual(sinks.health()[0], {
		name: 'webhook',
		ok: true,
		detail: '0 sent, 3 dropped',
	});
});

async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	await new Promise<void>((resolve) => {
		server.close(() => {
			resolve();
		});
	});
	return port;
}
