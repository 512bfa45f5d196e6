import test from 'ava';
import type {PostResult} from '../../source/adapters/http-post.js';
import {
	createDeliveryQueue,
	type Delivery,
	type Send,
} from '../../source/adapters/delivery-queue.js';
import {fakeTimers} from '../helpers/fake-timers.js';

const delivery = (body: string): Delivery => ({
	url: 'http://peer.test/in',
	body,
	contentType: 'text/plain',
});
const answer = (
	status: number,
	headers = {},
	body = '',
): PostResult & {ok: true} => ({
	ok: true,
	status,
	headers,
	body,
});

/** A peer scripted per attempt; records each attempt's body and the clock at it. */
function scriptedPeer(
	timers: {now(): number},
	script: Array<PostResult | 'hang'>,
): {send: Send; attempts: string[]; concurrency: () => number} {
	const attempts: string[] = [];
	let open = 0;
	let most = 0;
	const send: Send = async (d, {signal}) => {
		attempts.push(`${d.body}@${timers.now()}`);
		open++;
		most = Math.max(most, open);
		const step = script.shift() ?? answer(202);
		try {
			if (step === 'hang') {
				return await new Promise<PostResult>((resolve) => {
					signal.addEventListener('abort', () => {
						resolve({ok: false, error: 'aborted'});
					});
				});
			}

			return step;
		} finally {
			open--;
		}
	};

	return {send, attempts, concurrency: () => most};
}

test('requests go one at a time, in order; network errors, 5xx and 429 are retried with backoff, Retry-After honoured', async (t) => {
	const timers = fakeTimers();
	const peer = scriptedPeer(timers, [
		{ok: false, error: 'ECONNREFUSED: connect ECONNREFUSED'},
		answer(503),
		answer(429, {'retry-after': '7'}),
		answer(202),
	]);
	const counted: string[] = [];
	const queue = createDeliveryQueue({
		name: 'hook',
		queueMax: 10,
		timeoutMs: 1000,
		send: peer.send,
		timers,
		random: () => 1,
		backoff: {firstMs: 100, maxMs: 10_000},
		counters: {
			sent(sink) {
				counted.push(`sent ${sink}`);
			},
			failed(sink) {
				counted.push(`failed ${sink}`);
			},
		},
	});
	queue.enqueue(delivery('a'));
	queue.enqueue(delivery('b'));
	await timers.settle();
	t.false(queue.health().ok);
	t.regex(
		queue.health().detail,
		/0 sent, 2 queued; last attempt failed: ECONNREFUSED/,
	);
	await timers.advance(60_000);
	// Backoff 100, then 200, then Retry-After's 7 s (longer than the 400 of backoff).
	t.deepEqual(peer.attempts, ['a@0', 'a@100', 'a@300', 'a@7300', 'b@7300']);
	t.is(peer.concurrency(), 1);
	t.deepEqual(queue.stats(), {sent: 2, dropped: 0, rejected: 0, queued: 0});
	t.deepEqual(counted, ['sent hook', 'sent hook']);
	t.deepEqual(queue.health(), {name: 'hook', ok: true, detail: '2 sent'});
	await queue.close(1000);
});

test('another 4xx is not retried: counted as failed, said once per status, and the queue goes on', async (t) => {
	const timers = fakeTimers();
	const peer = scriptedPeer(timers, [
		answer(400, {}, 'invalid routing key'),
		answer(400),
		answer(404),
		answer(202),
	]);
	const notices: string[] = [];
	const failed: string[] = [];
	const queue = createDeliveryQueue({
		name: 'pd',
		queueMax: 10,
		timeoutMs: 1000,
		send: peer.send,
		timers,
		counters: {
			sent() {
				// Not under test.
			},
			failed(sink) {
				failed.push(sink);
			},
		},
		onNotice(message) {
			notices.push(message);
		},
	});
	for (const body of ['a', 'b', 'c', 'd']) queue.enqueue(delivery(body));
	await timers.advance(1000);
	t.deepEqual(peer.attempts, ['a@0', 'b@0', 'c@0', 'd@0']);
	t.deepEqual(queue.stats(), {sent: 1, dropped: 0, rejected: 3, queued: 0});
	t.deepEqual(failed, ['pd', 'pd', 'pd']);
	t.is(notices.length, 2);
	t.regex(
		notices[0]!,
		/^pd: the peer refused an event with HTTP 400.*invalid routing key/,
	);
	t.regex(notices[1]!, /HTTP 404/);
	await queue.close(1000);
});

test('a full queue drops its oldest request, counted; the one being tried is kept', async (t) => {
	const timers = fakeTimers();
	let release: (() => void) | undefined;
	const seen: string[] = [];
	const queue = createDeliveryQueue({
		name: 'hook',
		queueMax: 2,
		timeoutMs: 1000,
		timers,
		async send(d) {
			seen.push(d.body);
			if (d.body === '1') {
				await new Promise<void>((resolve) => {
					release = resolve;
				});
			}

			return answer(200);
		},
	});
	for (const body of ['1', '2', '3', '4', '5']) queue.enqueue(delivery(body));
	t.deepEqual(queue.stats(), {sent: 0, dropped: 2, rejected: 0, queued: 3});
	t.regex(queue.health().detail, /^0 sent, 2 dropped, 3 queued$/);
	release!();
	await timers.advance(10);
	t.deepEqual(seen, ['1', '4', '5']);
	t.deepEqual(queue.stats(), {sent: 3, dropped: 2, rejected: 0, queued: 0});
	await queue.close(1000);
});

test('close() tries what is left until its deadline, then aborts the request and counts the rest as dropped', async (t) => {
	const timers = fakeTimers();
	const peer = scriptedPeer(timers, [answer(500), answer(500), 'hang']);
	const queue = createDeliveryQueue({
		name: 'hook',
		queueMax: 10,
		timeoutMs: 60_000,
		send: peer.send,
		timers,
		random: () => 1,
		backoff: {firstMs: 30_000, maxMs: 60_000},
	});
	queue.enqueue(delivery('a'));
	queue.enqueue(delivery('b'));
	await timers.settle();
	let closed = false;
	const closing = queue.close(2000).then(() => {
		closed = true;
	});
	await timers.advance(1999);
	// The 30 s backoff was cut short: it tried again at once, and again 250 ms later.
	t.deepEqual(peer.attempts, ['a@0', 'a@0', 'a@250']);
	t.false(closed);
	await timers.advance(1);
	await closing;
	t.deepEqual(queue.stats(), {sent: 0, dropped: 2, rejected: 0, queued: 0});
	t.is(timers.pending(), 0);
	queue.enqueue(delivery('late'));
	t.is(queue.stats().dropped, 3);
});

test('close() with nothing left resolves at once; what is delivered before the deadline counts as sent', async (t) => {
	const timers = fakeTimers();
	const peer = scriptedPeer(timers, [answer(503)]);
	const queue = createDeliveryQueue({
		name: 'hook',
		queueMax: 10,
		timeoutMs: 1000,
		send: peer.send,
		timers,
		random: () => 1,
		backoff: {firstMs: 100, maxMs: 1000},
	});
	queue.enqueue(delivery('a'));
	await timers.settle();
	const closing = queue.close(5000);
	await timers.advance(0);
	await closing;
	t.deepEqual(queue.stats(), {sent: 1, dropped: 0, rejected: 0, queued: 0});
	t.is(timers.pending(), 0);
});

test('a rate limit paces the requests without losing any', async (t) => {
	const timers = fakeTimers();
	const peer = scriptedPeer(timers, []);
	let nextAt = 0;
	const queue = createDeliveryQueue({
		name: 'chat',
		queueMax: 10,
		timeoutMs: 1000,
		send: peer.send,
		timers,
		pace(now) {
			if (now >= nextAt) {
				nextAt = now + 1000;
				return 0;
			}

			return nextAt - now;
		},
	});
	for (const body of ['a', 'b', 'c']) queue.enqueue(delivery(body));
	await timers.advance(5000);
	t.deepEqual(peer.attempts, ['a@0', 'b@1000', 'c@2000']);
	await queue.close(100);
});

test('secrets never show in the health or a notice, even when the peer or the error repeats them', async (t) => {
	const timers = fakeTimers();
	const secret = 'R0UT1NGK3Y';
	const peer = scriptedPeer(timers, [
		{ok: false, error: `getaddrinfo ENOTFOUND ${secret}.example`},
		answer(403, {}, `${'x'.repeat(190)} key ${secret} is not valid`),
	]);
	const notices: string[] = [];
	const queue = createDeliveryQueue({
		name: 'pd',
		queueMax: 10,
		timeoutMs: 1000,
		send: peer.send,
		timers,
		random: () => 0,
		secrets: [secret],
		onNotice(message) {
			notices.push(message);
		},
	});
	queue.enqueue(delivery('a'));
	await timers.settle();
	const first = queue.health().detail;
	await timers.advance(10);
	const shown = [first, queue.health().detail, ...notices].join('\n');
	t.regex(shown, /ENOTFOUND <secret>\.example/);
	t.regex(shown, /HTTP 403, not retried: x+ key <secr/);
	t.false(shown.includes(secret.slice(0, 3)));
	t.false(shown.includes(secret));
	await queue.close(10);
});

test('a send that throws is a failed attempt, retried; nothing reaches the caller', async (t) => {
	const timers = fakeTimers();
	let calls = 0;
	const queue = createDeliveryQueue({
		name: 'hook',
		queueMax: 10,
		timeoutMs: 1000,
		timers,
		random: () => 0,
		async send() {
			calls++;
			if (calls === 1) {
				throw new Error('socket exploded');
			}

			return answer(200);
		},
	});
	queue.enqueue(delivery('a'));
	await timers.settle();
	t.regex(queue.health().detail, /last attempt failed: socket exploded/);
	await timers.advance(10);
	t.deepEqual(queue.health(), {name: 'hook', ok: true, detail: '1 sent'});
	await queue.close(0);
});
