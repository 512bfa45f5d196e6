import {createServer, type ServerResponse} from 'node:http';
import test, {type ExecutionContext} from 'ava';
import {
	exporterURL,
	openAlertmanagerSink,
} from '../../source/adapters/alertmanager-sink.js';
import type {PostableAlert} from '../../source/core/alertmanager-alerts.js';
import type {IncidentEvent} from '../../source/core/incident.js';
import {readJson} from '../helpers/json.js';
import {waitLimit} from '../helpers/patience.js';

type Received = {url: string; alerts: PostableAlert[]};

async function alertmanager(
	t: ExecutionContext,
	answer: (index: number, response: ServerResponse) => void,
): Promise<{url: string; received: Received[]}> {
	const received: Received[] = [];
	const server = createServer((request, response) => {
		let body = '';
		request.on('data', (chunk: Uint8Array) => {
			body += chunk.toString();
		});
		request.on('end', () => {
			received.push({
				url: request.url ?? '',
				alerts: readJson<PostableAlert[]>(body, {text: true}),
			});
			answer(received.length - 1, response);
		});
	});
	await new Promise<void>((resolve) => {
		server.listen(0, '127.0.0.1', resolve);
	});
	t.teardown(() => {
		server.closeAllConnections();
		server.close();
	});
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	return {url: `http://127.0.0.1:${port}/`, received};
}

function event(kind: IncidentEvent['event'], id = 'i1'): IncidentEvent {
	return {
		event: kind,
		at: new Date().toISOString(),
		incident: {
			timestamp: new Date(Date.now() - 1000).toISOString(),
			type: 'HEARTBEAT_LOSS',
			severity: 'CRITICAL',
			description: 'no line for 5 s',
			id,
			end: kind === 'resolved' ? new Date().toISOString() : null,
			value: null,
			peak: 5,
			threshold: 5,
			readings: 0,
			first_line: 4,
			last_line: 4,
		},
	};
}

async function until(condition: () => boolean, timeoutMs = 5000) {
	const deadline = Date.now() + waitLimit(timeoutMs);
	while (!condition()) {
		if (Date.now() > deadline) {
			throw new Error('timed out');
		}

		// eslint-disable-next-line no-await-in-loop
		await new Promise((resolve) => {
			setTimeout(resolve, 10);
		});
	}
}

function sink(
	url: string,
	resendIntervalS: number,
	counts: string[] = [],
	notices: string[] = [],
) {
	return openAlertmanagerSink(
		{
			type: 'alertmanager',
			url,
			resend_interval_s: resendIntervalS,
			name: null,
			min_severity: 'WARNING',
			rules: null,
			queue_max: 1000,
			timeout_s: 2,
		},
		{port: 'demo', device: 'demo'},
		{
			name: 'alertmanager',
			fieldOf: () => 'temperature',
			generatorURL: undefined,
			backoff: {firstMs: 5, maxMs: 20},
			counters: {
				sent(name) {
					counts.push(`sent ${name}`);
				},
				failed(name) {
					counts.push(`failed ${name}`);
				},
			},
			notice(text) {
				notices.push(text);
			},
		},
	);
}

const ok = (_index: number, response: ServerResponse) => {
	response.writeHead(200).end();
};

test('a change is sent at once to /api/v2/alerts; a resolution ends the alert and is sent too', async (t) => {
	const {url, received} = await alertmanager(t, ok);
	const counts: string[] = [];
	const out = sink(url, 60, counts);
	t.teardown(async () => out.close(100));
	out.onEvents?.([event('fired')]);
	await until(() => received.length === 1);
	t.is(received[0]!.url, '/api/v2/alerts');
	const firing = received[0]!.alerts[0]!;
	t.is(firing.labels['alertname'], 'HEARTBEAT_LOSS');
	t.true(Date.parse(firing.endsAt) > Date.now() + 3 * 60_000);
	out.onEvents?.([event('resolved')]);
	await until(() => received.length === 2);
	t.true(Date.parse(received[1]!.alerts[0]!.endsAt) <= Date.now());
	await until(() => counts.length === 2);
	t.deepEqual(counts, ['sent alertmanager', 'sent alertmanager']);
	t.like(out.health()[0], {name: 'alertmanager', ok: true});
});

test('held alerts are sent again every resend_interval_s, resolved ones too', async (t) => {
	const {url, received} = await alertmanager(t, ok);
	const out = sink(url, 0.05);
	t.teardown(async () => out.close(100));
	out.onEvents?.([event('fired', 'a'), event('fired', 'b')]);
	out.onEvents?.([event('resolved', 'b')]);
	await until(() => received.length >= 4);
	const last = received.at(-1)!.alerts;
	t.deepEqual(
		last.map((alert) => alert.labels['incident_id']),
		['a', 'b'],
	);
});

test('500 and 429 are tried again; a 400 is said once and counted as failed', async (t) => {
	const {url, received} = await alertmanager(t, (index, response) => {
		switch (index) {
			case 0: {
				response.writeHead(503).end('busy');

				break;
			}

			case 1: {
				response.writeHead(429, {'retry-after': '0'}).end();

				break;
			}

			case 2: {
				response.writeHead(200).end();

				break;
			}

			default: {
				response.writeHead(400).end('{"error":"bad alert"}');
			}
		}
	});
	const counts: string[] = [];
	const notices: string[] = [];
	const out = sink(url, 60, counts, notices);
	t.teardown(async () => out.close(100));
	out.onEvents?.([event('fired')]);
	await until(() => received.length === 3);
	await until(() => counts.length === 1);
	t.deepEqual(counts, ['sent alertmanager']);
	out.onEvents?.([event('worsened')]);
	out.onEvents?.([event('resolved')]);
	await until(() => counts.length === 2);
	await new Promise((resolve) => {
		setTimeout(resolve, 100);
	});
	t.is(received.length, 4, 'the refused request is not sent again');
	t.deepEqual(counts, ['sent alertmanager', 'failed alertmanager']);
	t.is(notices.length, 1);
	t.regex(notices[0]!, /HTTP 400/);
	t.like(out.health()[0], {ok: false});
});

test('generatorURL names the exporter, the host name when it listens everywhere', (t) => {
	t.is(exporterURL(null), undefined);
	t.is(exporterURL('127.0.0.1:9464'), 'http://127.0.0.1:9464/metrics');
	t.regex(exporterURL(':9464') ?? '', /^http:\/\/[^:]+:9464\/metrics$/);
});
