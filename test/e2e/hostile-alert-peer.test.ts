// A hostile Alertmanager and webhook receiver on loopback (test/helpers/alert-peer.ts)
// against the built CLI playing the failure scenario: a body that never ends, headers that
// never end, a redirect to itself. Whatever the peer does, the monitor reads little of it,
// logs at its pace, says what went wrong, and stops within the 2 s close deadline.
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {startAlertPeer, type Fault} from '../helpers/alert-peer.js';
import {startCli, stopOnTeardown} from '../helpers/cli.js';
import {watchPeakRss} from '../helpers/peak-rss.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {waitUntil} from '../helpers/wait-until.js';

const rate = 20;
const mib = 1024 * 1024;
// The close deadline is 2 s; the rest is a busy machine's start and exit of Node.
const stopBoundMs = 15_000;

async function runAgainst(t: ExecutionContext, fault: Fault, timeoutS: number) {
	const peer = await startAlertPeer(t);
	const faults = Array.from({length: 1000}, () => fault);
	peer.script('/hook', faults);
	peer.script('/api/v2/alerts', faults);
	const dir = temporaryDirectory(t, 'hostile-peer');
	const config = join(dir, 'config.yaml');
	writeFileSync(
		config,
		[
			'output:',
			`  dir: ${join(dir, 'data')}`,
			'alerts:',
			'  sinks:',
			`    - {type: webhook, url: "${peer.url}/hook", timeout_s: ${timeoutS}}`,
			`    - {type: alertmanager, url: "${peer.url}", timeout_s: ${timeoutS}}`,
			'',
		].join('\n'),
	);
	const run = stopOnTeardown(
		t,
		startCli([
			'--demo',
			'--headless',
			'--scenario',
			'failure',
			'--rate',
			String(rate),
			'--config',
			config,
		]),
	);
	await run.waitFor(/listening on/, 30_000);
	const rss = watchPeakRss(run.child.pid!);
	t.teardown(() => {
		rss.stop();
	});
	const raw = join(dir, 'data', 'raw.log');
	const rawTimes = () => {
		try {
			return readFileSync(raw, 'utf8')
				.split('\n')
				.filter(Boolean)
				.map((line) => Date.parse(line.slice(0, line.indexOf('\t'))));
		} catch {
			return [];
		}
	};

	return {
		peer,
		run,
		rawTimes,
		/** Stops the run with SIGTERM; its exit code, the time it took, its peak RSS. */
		async stop() {
			const from = Date.now();
			run.child.kill('SIGTERM');
			const timer = setTimeout(() => {
				run.child.kill('SIGKILL');
			}, stopBoundMs * 2);
			const code = await run.exited;
			clearTimeout(timer);
			return {code, tookMs: Date.now() - from, peakRss: rss.stop() ?? 0};
		},
	};
}

function assertPace(t: ExecutionContext, times: number[]) {
	const gaps = times.slice(1).map((time, index) => time - times[index]!);
	const largest = Math.max(0, ...gaps);
	t.log(`raw.log: ${times.length} lines, largest gap ${largest} ms`);
	// The failure scenario's own silence is 8 s: a stall beyond that would pass 20 s.
	t.true(largest < 20_000, `largest gap ${largest} ms`);
}

test('a body that never ends: each sink reads a little of it, closes the connection, and the 200 counts as delivered', async (t) => {
	// The timeout far off, so that only the cap on what is read can end each answer.
	const monitor = await runAgainst(t, 'endless-body', 120);
	const {peer} = monitor;
	await waitUntil(
		() =>
			peer.hostile.filter((answer) => answer.closedAfterMs !== undefined)
				.length >= 4,
		'four endless answers closed by the monitor',
		60_000,
	);
	const closed = peer.hostile.filter(
		(answer) => answer.closedAfterMs !== undefined,
	);
	t.log(
		closed
			.map(
				(answer) =>
					`${answer.path}: closed after ${answer.closedAfterMs} ms, ${(answer.bytes / mib).toFixed(2)} MiB written`,
			)
			.join('\n'),
	);
	for (const answer of closed) {
		// What the socket buffers on both sides hold, not what was read.
		t.true(answer.bytes < 32 * mib, `${answer.bytes} bytes`);
	}

	const {code, tookMs, peakRss} = await monitor.stop();
	t.is(code, 0, `${monitor.run.stderr()}`);
	t.true(tookMs < stopBoundMs, `stop took ${tookMs} ms`);
	t.true(peakRss < 300 * mib, `peak RSS ${peakRss}`);
	t.regex(monitor.run.stderr(), /^webhook: [1-9]\d* sent/m);
	assertPace(t, monitor.rawTimes());
});

test('headers that never end: the request is given up at its timeout, said so, and the stop keeps its deadline', async (t) => {
	const monitor = await runAgainst(t, 'endless-headers', 3);
	const {peer} = monitor;
	await waitUntil(
		() =>
			peer.hostile.filter((answer) => answer.closedAfterMs !== undefined)
				.length >= 2,
		'two trickled answers given up',
		60_000,
	);
	// A trickle is going on when the stop comes.
	await waitUntil(
		() => peer.hostile.some((answer) => answer.closedAfterMs === undefined),
		'a trickle in progress',
		60_000,
	);
	const {code, tookMs} = await monitor.stop();
	t.is(code, 0, `${monitor.run.stderr()}`);
	t.true(tookMs < stopBoundMs, `stop took ${tookMs} ms`);
	t.regex(
		monitor.run.stderr(),
		/^webhook: FAILING: .*no answer within 3 s/m,
		`${monitor.run.stderr()}`,
	);
	t.regex(
		monitor.run.stderr(),
		/^alertmanager: FAILING: .*no answer within 3 s/m,
	);
	assertPace(t, monitor.rawTimes());
});

test('a redirect to itself is not followed: one request per delivery, refused, and the message says to set the final URL', async (t) => {
	const monitor = await runAgainst(t, 'redirect-self', 10);
	const {peer} = monitor;
	await waitUntil(
		() => peer.hostile.some((answer) => answer.path === '/api/v2/alerts'),
		'alerts posted',
		60_000,
	);
	await waitUntil(
		() => peer.hostile.some((answer) => answer.path === '/hook'),
		'an event posted',
		60_000,
	);
	const {code, tookMs} = await monitor.stop();
	t.is(code, 0, `${monitor.run.stderr()}`);
	t.true(tookMs < stopBoundMs, `stop took ${tookMs} ms`);
	const stderr = monitor.run.stderr();
	t.log(stderr);
	// Every request reached the peer from the monitor's own queue, none from a redirect.
	t.true(peer.all.length === peer.hostile.length);
	t.regex(stderr, /^webhook: FAILING: .*HTTP 301.*redirect/m);
	t.regex(stderr, /alertmanager.*HTTP 301.*redirect/);
	assertPace(t, monitor.rawTimes());
});
