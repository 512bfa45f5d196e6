// Hostile clients of the exporter, each from this test's process against the built CLI
// (`--demo --headless --metrics`, the demo device at 20 lines/s): the server ends each
// attacker's connection within its configured bound, and meanwhile the monitor keeps
// logging and its memory stays bounded.
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {serverLimits} from '../../source/adapters/metrics-server.js';
import {startCli, stopOnTeardown} from '../helpers/cli.js';
import {
	holdConnections,
	hugeBody,
	hugeHeaders,
	scrapeFlood,
	slowloris,
	type Attack,
	type Ending,
} from '../helpers/http-attacks.js';
import {watchPeakRss} from '../helpers/peak-rss.js';
import {freePort} from '../helpers/real-server.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {waitUntil} from '../helpers/wait-until.js';

const rate = 20;
// Far more than any bound the server sets: what is asserted is the bound, not the speed.
const slackMs = 20_000;
const mib = 1024 * 1024;
// The demo monitor sits near 80 MiB; a monitor that buffered a request body would pass it.
const rssBound = 300 * mib;

type Monitor = {
	target: {host: string; port: number};
	/** raw.log's lines stamped within [from, to]: how many, and the largest gap between two. */
	logged(from: number, to: number): {lines: number; largestGapMs: number};
	peakRss(): number | undefined;
};

async function startMonitor(t: ExecutionContext): Promise<Monitor> {
	const dir = temporaryDirectory(t, 'metrics-attack');
	const port = await freePort();
	const run = stopOnTeardown(
		t,
		startCli([
			'--demo',
			'--headless',
			'--scenario',
			'normal',
			'--rate',
			String(rate),
			'--out',
			join(dir, 'data'),
			'--metrics',
			`127.0.0.1:${port}`,
		]),
	);
	await run.waitFor(/listening on/, 30_000);
	const rss = watchPeakRss(run.child.pid!);
	t.teardown(() => {
		rss.stop();
	});
	const raw = join(dir, 'data', 'raw.log');
	const times = () => {
		try {
			return readFileSync(raw, 'utf8')
				.split('\n')
				.filter(Boolean)
				.map((line) => Date.parse(line.slice(0, line.indexOf('\t'))));
		} catch {
			return [];
		}
	};

	await waitUntil(() => times().length > 0, 'the first line', 30_000);
	return {
		target: {host: '127.0.0.1', port},
		logged(from, to) {
			const within = times().filter((time) => time >= from && time <= to);
			let largestGapMs = 0;
			for (let index = 1; index < within.length; index++) {
				largestGapMs = Math.max(
					largestGapMs,
					within[index]! - within[index - 1]!,
				);
			}

			return {lines: within.length, largestGapMs};
		},
		peakRss: () => rss.stop(),
	};
}

/** The attack's end, or a failure naming what the server failed to bound. */
async function endedWithin(
	t: ExecutionContext,
	attack: Attack,
	boundMs: number,
	what: string,
): Promise<Ending> {
	t.teardown(() => {
		attack.cancel();
	});
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<never>((_resolve, reject) => {
		timer = setTimeout(() => {
			attack.cancel();
			reject(new Error(`the server did not end ${what} within ${boundMs} ms`));
		}, boundMs);
	});
	try {
		return await Promise.race([attack.ended, late]);
	} finally {
		clearTimeout(timer);
	}
}

/** What must hold whatever the attack: lines kept coming, memory stayed bounded. */
async function assertMonitorKeptOn(
	t: ExecutionContext,
	monitor: Monitor,
	from: number,
) {
	// Lines stamped up to now, and one more second for the last to be logged.
	const to = Date.now();
	await new Promise((resolve) => {
		setTimeout(resolve, 1000);
	});
	const {lines, largestGapMs} = monitor.logged(from, to);
	const peak = monitor.peakRss() ?? 0;
	t.log(
		`during the attack (${to - from} ms): ${lines} lines at ${rate}/s, largest gap ${largestGapMs} ms; peak RSS ${(peak / mib).toFixed(1)} MiB`,
	);
	t.true(lines > 0 || to - from < 1000, 'raw.log received lines');
	t.true(largestGapMs < 10_000, `raw.log's largest gap ${largestGapMs} ms`);
	t.true(peak < rssBound, `peak RSS ${(peak / mib).toFixed(1)} MiB`);
}

test('500 connections that send half a request are all ended by the server', async (t) => {
	const monitor = await startMonitor(t);
	const from = Date.now();
	const held = await holdConnections(monitor.target, 500);
	t.teardown(() => {
		held.close();
	});
	await waitUntil(
		() => held.ended() === 500,
		`the server to end all 500 connections (${held.ended()} so far)`,
		serverLimits.headersTimeoutMs + slackMs,
	);
	const endedAfter = Date.now() - from;
	t.log(`all 500 ended after ${endedAfter} ms`);
	// The wait itself has the tests' patience (a minute, Node's own default headersTimeout):
	// the server's bound is asserted here.
	t.true(
		endedAfter <= serverLimits.headersTimeoutMs + slackMs,
		`${endedAfter} ms`,
	);
	await assertMonitorKeptOn(t, monitor, from);
});

test('a slowloris, a header byte every 500 ms, is cut off at the headers timeout with a 408', async (t) => {
	const monitor = await startMonitor(t);
	const from = Date.now();
	const ending = await endedWithin(
		t,
		await slowloris(monitor.target, 500),
		serverLimits.headersTimeoutMs + slackMs,
		'a slowloris',
	);
	t.log(`ended after ${ending.afterMs} ms, ${ending.sentBytes} bytes sent`);
	t.regex(ending.answer, /^HTTP\/1\.1 408 /);
	await assertMonitorKeptOn(t, monitor, from);
});

// More than loopback's socket buffers can hold (tcp_rmem's and tcp_wmem's maxima are 32 and
// 4 MiB here): a megabyte fits in them whole before a busy server's close is seen, so what
// the client got written would not tell whether the server read it.
const headerBytes = 64 * mib;

test('64 MiB of headers: the server answers 431 or closes, having taken a part of them', async (t) => {
	const monitor = await startMonitor(t);
	const from = Date.now();
	const ending = await endedWithin(
		t,
		await hugeHeaders(monitor.target, headerBytes),
		slackMs,
		'a request with 64 MiB of headers',
	);
	t.log(`ended after ${ending.afterMs} ms, ${ending.sentBytes} bytes sent`);
	t.true(ending.answer === '' || ending.answer.startsWith('HTTP/1.1 431 '));
	t.true(ending.sentBytes < headerBytes, `${ending.sentBytes} bytes taken`);
	await assertMonitorKeptOn(t, monitor, from);
});

for (const [method, status] of [
	['POST', 405],
	['GET', 413],
] as const) {
	test(`a ${method} of /metrics with a 1 GiB body is answered ${status} and its connection closed, the body not read`, async (t) => {
		const monitor = await startMonitor(t);
		const from = Date.now();
		const ending = await endedWithin(
			t,
			await hugeBody(monitor.target, {
				method,
				path: '/metrics',
				bytes: 1024 * mib,
			}),
			slackMs,
			`a ${method} with a 1 GiB body`,
		);
		t.log(`ended after ${ending.afterMs} ms, ${ending.sentBytes} bytes sent`);
		// What the kernel's socket buffers took before the close, not what was read.
		t.true(
			ending.sentBytes < 64 * mib,
			`${(ending.sentBytes / mib).toFixed(1)} MiB taken`,
		);
		t.true(
			ending.answer === '' || ending.answer.startsWith(`HTTP/1.1 ${status} `),
			`answer: ${ending.answer}`,
		);
		await assertMonitorKeptOn(t, monitor, from);
	});
}

test('500 clients scraping as fast as they can: most get a 429, the rest the metrics', async (t) => {
	const monitor = await startMonitor(t);
	const from = Date.now();
	const flood = scrapeFlood(monitor.target, 500);
	t.teardown(() => {
		flood.stop();
	});
	await waitUntil(() => (flood.answers().get(429) ?? 0) > 0, 'a 429', slackMs);
	await new Promise((resolve) => {
		setTimeout(resolve, 10_000);
	});
	flood.stop();
	const answers = Object.fromEntries(flood.answers());
	t.log(`answers by status (0: refused or reset): ${JSON.stringify(answers)}`);
	const seconds = (Date.now() - from) / 1000;
	// The bucket's burst, then its rate, over the whole flood.
	t.true(
		(answers[200] ?? 0) <=
			serverLimits.burst + (seconds + 1) * serverLimits.requestsPerSecond,
		`${answers[200]} answered in ${seconds} s`,
	);
	await assertMonitorKeptOn(t, monitor, from);
});
