import {Buffer} from 'node:buffer';
import {
	createServer,
	type IncomingMessage,
	type ServerResponse,
} from 'node:http';
import test, {type ExecutionContext} from 'ava';
import {defaultConfig} from '../../source/core/config.js';
import type {MetricsRow} from '../../source/adapters/metrics-csv.js';
import {openInfluxWriter} from '../../source/adapters/influxdb-writer.js';
import {patienceMs, waitLimit} from '../helpers/patience.js';
import {builtin, builtinReading} from '../helpers/builtin-reading.js';

type Received = {url: string; authorization: string; lines: string[]};

async function influx(
	t: ExecutionContext,
	answer: (index: number, response: ServerResponse) => void,
): Promise<{url: string; received: Received[]}> {
	const received: Received[] = [];
	const server = createServer((request: IncomingMessage, response) => {
		let body = '';
		request.on('data', (chunk: Uint8Array) => {
			body += chunk.toString();
		});
		request.on('end', () => {
			received.push({
				url: request.url ?? '',
				authorization: request.headers.authorization ?? '',
				lines: body.split('\n').filter((line) => line !== ''),
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
	return {url: `http://127.0.0.1:${port}`, received};
}

const ok = (_index: number, response: ServerResponse) => {
	response.writeHead(204).end();
};

function rows(count: number, from = 0): MetricsRow[] {
	return Array.from({length: count}, (_, index) => ({
		time: 1_700_000_000_000 + (from + index) * 100,
		line: from + index + 1,
		reading: builtinReading({
			temperature: from + index,
			voltage: 5,
			status: 'OK',
			level: 'NORMAL',
		}),
	}));
}

const identity = {port: 'demo', device: 'oven'};
const fast = {firstMs: 5, maxMs: 20};

function writer(
	url: string,
	settings: Partial<typeof defaultConfig.exporters.influxdb>,
	notices: string[] = [],
	environment: NodeJS.ProcessEnv = {},
) {
	return openInfluxWriter(
		{...defaultConfig.exporters.influxdb, url, ...settings},
		identity,
		{
			profile: builtin,
			environment,
			backoff: fast,
			notice(text) {
				notices.push(text);
			},
		},
	);
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

test('full batches go at once to /write with db and ms precision; the rest waits for the flush or the close', async (t) => {
	const {url, received} = await influx(t, ok);
	const out = writer(url, {batch_points: 3, flush_interval_s: 60});
	out.onReadings?.(rows(7));
	await until(() => received.length === 2);
	await new Promise((resolve) => {
		setTimeout(resolve, 100);
	});
	t.is(received.length, 2, 'the seventh point waits');
	t.deepEqual(
		received.map((request) => request.lines.length),
		[3, 3],
	);
	t.is(received[0]!.url, '/write?db=serialwatch&precision=ms');
	t.is(
		received[0]!.lines[0],
		'serialwatch,port=demo,device=oven temperature=0,voltage=5,status="OK" 1700000000000',
	);
	await out.close(patienceMs);
	t.deepEqual(received[2]!.lines, [
		'serialwatch,port=demo,device=oven temperature=6,voltage=5,status="OK" 1700000000600',
	]);
	t.like(out.health()[0], {
		name: 'influxdb',
		ok: true,
		detail: '7 points written, 0 queued, 0 dropped, 0 refused',
	});
});

test('a part batch goes every flush_interval_s', async (t) => {
	const {url, received} = await influx(t, ok);
	const out = writer(url, {batch_points: 1000, flush_interval_s: 0.05});
	t.teardown(async () => out.close(100));
	out.onReadings?.(rows(2));
	await until(() => received.length === 1);
	t.is(received[0]!.lines.length, 2);
});

test('past queue_points the oldest points are dropped and counted', async (t) => {
	const {url, received} = await influx(t, ok);
	const out = writer(url, {
		batch_points: 100,
		flush_interval_s: 60,
		queue_points: 3,
	});
	out.onReadings?.(rows(5));
	t.regex(out.health()[0]!.detail, /3 queued, 2 dropped/);
	await out.close(patienceMs);
	t.deepEqual(
		received[0]!.lines.map((line) => /temperature=(\d+)/.exec(line)?.[1]),
		['2', '3', '4'],
	);
});

test('a full queue costs a reading no more than an empty one: dropping the oldest does not move the whole queue', async (t) => {
	// A peer away for long (nothing listens on port 1) and a reading a batch, as a fast port gives.
	const measure = async () => {
		const out = writer('http://127.0.0.1:1', {
			flush_interval_s: 600,
			queue_points: 50_000,
		});
		const time = (from: number, count: number) => {
			const started = performance.now();
			for (let index = from; index < from + count; index++) {
				out.onReadings?.(rows(1, index));
			}

			return performance.now() - started;
		};

		const filling = time(0, 50_000);
		const full = time(50_000, 50_000);
		t.regex(out.health()[0]!.detail, /50000 dropped/);
		await out.close(0);
		return {filling, full};
	};

	// The fastest of three runs of each: a machine busy with other work slows both alike.
	const fastest = {filling: Infinity, full: Infinity};
	for (let run = 0; run < 3; run++) {
		// eslint-disable-next-line no-await-in-loop -- one at a time, each timed alone
		const {filling, full} = await measure();
		fastest.filling = Math.min(fastest.filling, filling);
		fastest.full = Math.min(fastest.full, full);
	}

	t.log(
		`filling ${fastest.filling.toFixed(0)} ms, full ${fastest.full.toFixed(0)} ms`,
	);
	t.true(
		fastest.full < fastest.filling * 3 + 200,
		`full ${fastest.full} ms vs filling ${fastest.filling} ms`,
	);
});

test('points a hung peer leaves unsent at the close deadline are counted as dropped', async (t) => {
	const {url, received} = await influx(t, () => {
		// Never answers.
	});
	const out = writer(url, {batch_points: 3, flush_interval_s: 60});
	out.onReadings?.(rows(7));
	await until(() => received.length === 1);
	await out.close(300);
	t.regex(out.health()[0]!.detail, /0 points written, 0 queued, 7 dropped/);
});

test('500 and 429 (with Retry-After) are tried again until delivered, the same points once', async (t) => {
	const {url, received} = await influx(t, (index, response) => {
		if (index === 0) {
			response.writeHead(500).end('{"error":"timeout"}');
		} else if (index === 1) {
			response.writeHead(429, {'retry-after': '0'}).end();
		} else {
			response.writeHead(204).end();
		}
	});
	const out = writer(url, {batch_points: 2, flush_interval_s: 60});
	t.teardown(async () => out.close(100));
	out.onReadings?.(rows(2));
	await until(() => received.length === 3);
	await until(() => out.health()[0]!.ok);
	t.deepEqual(received[2]!.lines, received[0]!.lines);
	t.regex(out.health()[0]!.detail, /^2 points written/);
});

test('a 400 (partial write) is not sent again: said once, counted', async (t) => {
	const {url, received} = await influx(t, (_index, response) => {
		response
			.writeHead(400)
			.end('{"error":"partial write: field type conflict"}');
	});
	const notices: string[] = [];
	const out = writer(url, {batch_points: 1, flush_interval_s: 60}, notices);
	out.onReadings?.(rows(2));
	await until(() => received.length === 2);
	await out.close(500);
	t.is(received.length, 2);
	t.is(notices.length, 1);
	t.regex(notices[0]!, /HTTP 400: .*partial write/);
	t.like(out.health()[0], {ok: false});
	t.regex(out.health()[0]!.detail, /2 refused/);
});

test('2.x: /api/v2/write with org and bucket, the token from its environment variable', async (t) => {
	const {url, received} = await influx(t, ok);
	const out = writer(
		url,
		{
			version: 2,
			org: 'lab',
			bucket: 'b 1',
			token_env: 'INFLUX_TOKEN',
			batch_points: 1,
		},
		[],
		{INFLUX_TOKEN: 's3cret'},
	);
	out.onReadings?.(rows(1));
	await out.close(patienceMs);
	t.is(received[0]!.url, '/api/v2/write?org=lab&bucket=b+1&precision=ms');
	t.is(received[0]!.authorization, 'Token s3cret');
});

test('1.x with username_env and password_env signs in with basic auth', async (t) => {
	const {url, received} = await influx(t, ok);
	const out = writer(
		url,
		{username_env: 'U', password_env: 'P', batch_points: 1},
		[],
		{U: 'me', P: 'pw'},
	);
	out.onReadings?.(rows(1));
	await out.close(patienceMs);
	t.is(
		received[0]!.authorization,
		`Basic ${Buffer.from('me:pw').toString('base64')}`,
	);
});

test('a token variable that is not set stops the start, naming the variable', (t) => {
	const error = t.throws(() =>
		writer(
			'http://127.0.0.1:1',
			{version: 2, org: 'o', bucket: 'b', token_env: 'INFLUX_TOKEN'},
			[],
			{},
		),
	);
	t.regex(
		error.message,
		/exporters\.influxdb\.token_env .*INFLUX_TOKEN.*not set/,
	);
});
