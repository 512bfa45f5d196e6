// One sink's way out: a bounded queue of requests, sent one at a time in order, retried
// (backoff with jitter, Retry-After honoured) while the peer is unreachable or busy, given
// up at once when it says the request is wrong. enqueue() only queues and returns: a slow,
// hung or absent peer costs the run nothing but the queue's memory, and a full queue drops
// its oldest request, counted. Nothing here throws into the caller.
import {
	defaultBackoff,
	retryDelayMs,
	type BackoffSettings,
} from '../core/delivery-policy.js';
import type {ObserverHealth} from './run-observer.js';
import {judgePost, post, statusNote, type PostResult} from './http-post.js';

export type Delivery = {
	url: string;
	body: string;
	contentType: string;
	headers?: Record<string, string>;
};

export type Send = (
	delivery: Delivery,
	options: {timeoutMs: number; signal: AbortSignal},
) => Promise<PostResult>;

/** What the Prometheus exporter counts per sink: a notification delivered, or lost. */
export type NotificationCounters = {
	sent(sink: string): void;
	failed(sink: string): void;
};

export type Timers = {
	now(): number;
	/** Calls back after `ms`; returns what cancels it. */
	after(ms: number, callback: () => void): () => void;
};

export const realTimers: Timers = {
	now: () => Date.now(),
	after(ms, callback) {
		// Not unref'd: close() waits on these, and a process with nothing else left to do
		// would end in the middle of it (close() clears every one it leaves).
		const timer = setTimeout(callback, ms);
		return () => {
			clearTimeout(timer);
		};
	},
};

export type DeliveryStats = {
	sent: number;
	/** Pushed out by newer requests when full, or still unsent at close. */
	dropped: number;
	/** Refused by the peer with a 4xx that no retry will change. */
	rejected: number;
	/** Waiting, and the one being tried. */
	queued: number;
};

export type DeliveryQueue = {
	enqueue(delivery: Delivery): void;
	stats(): DeliveryStats;
	health(): ObserverHealth;
	/** Tries what is left for up to `deadlineMs`, then drops the rest (counted) and stops. */
	close(deadlineMs: number): Promise<void>;
};

export function createDeliveryQueue(options: {
	name: string;
	queueMax: number;
	timeoutMs: number;
	send?: Send;
	/** A rate limit: 0 when a request may go now (and it is counted), else the wait in ms. */
	pace?: (now: number) => number;
	timers?: Timers;
	random?: () => number;
	backoff?: BackoffSettings;
	/** Values never to show in a message or the health (a routing key, a webhook URL). */
	secrets?: readonly string[];
	counters?: NotificationCounters | undefined;
	onNotice?: ((message: string) => void) | undefined;
}): DeliveryQueue {
	const {name} = options;
	const send =
		options.send ?? (async (d, o) => post(d.url, d.body, {...d, ...o}));
	const timers = options.timers ?? realTimers;
	const secrets = (options.secrets ?? []).filter((secret) => secret.length > 0);
	const waiting: Delivery[] = [];
	const stats: DeliveryStats = {sent: 0, dropped: 0, rejected: 0, queued: 0};
	const abort = new AbortController();
	const rejectedStatuses = new Set<number>();
	let inFlight = false;
	let lastFailure: string | undefined;
	// Changed by close() while a delivery awaits the peer or a timer.
	const life = {closing: false, stopped: false};
	let deadlineAt = Number.POSITIVE_INFINITY;
	let wake: (() => void) | undefined;
	let idle: (() => void) | undefined;

	const redact = (text: string) => {
		let shown = text;
		for (const secret of secrets) {
			shown = shown.replaceAll(secret, '<secret>');
		}

		return shown;
	};

	const lose = (count: number) => {
		stats.dropped += count;
		for (let index = 0; index < count; index++) {
			options.counters?.failed(name);
		}
	};

	/** Resolves after `ms`, or at once when close() or the deadline wakes it. */
	const sleep = async (ms: number) =>
		new Promise<void>((resolve) => {
			const cancel = timers.after(ms, () => {
				wake = undefined;
				resolve();
			});
			wake = () => {
				cancel();
				wake = undefined;
				resolve();
			};
		});

	const sendSafely = async (
		delivery: Delivery,
		timeoutMs: number,
	): Promise<PostResult> => {
		try {
			return await send(delivery, {timeoutMs, signal: abort.signal});
		} catch (error) {
			return {
				ok: false,
				error: error instanceof Error ? error.message : String(error),
			};
		}
	};

	/** One request until delivered, rejected, or the queue stops. */
	const deliver = async (delivery: Delivery): Promise<void> => {
		for (let attempt = 1; !life.stopped; attempt++) {
			let wait = options.pace?.(timers.now()) ?? 0;
			while (wait > 0 && !life.stopped) {
				// eslint-disable-next-line no-await-in-loop
				await sleep(wait);
				wait = life.stopped ? 0 : (options.pace?.(timers.now()) ?? 0);
			}

			if (life.stopped) {
				break;
			}

			const timeoutMs = Math.max(
				1,
				Math.min(options.timeoutMs, deadlineAt - timers.now()),
			);
			// eslint-disable-next-line no-await-in-loop
			const result = await sendSafely(delivery, timeoutMs);
			if (life.stopped) {
				// Counted as dropped by stop(), whatever came back after it.
				break;
			}

			const judged = judgePost(result, timers.now());
			if (result.ok) {
				const {outcome} = judged;
				if (outcome === 'delivered') {
					stats.sent++;
					lastFailure = undefined;
					options.counters?.sent(name);
					return;
				}

				if (outcome === 'rejected') {
					reject(result.status, result.body);
					return;
				}

				lastFailure = `HTTP ${result.status}`;
			} else {
				lastFailure = redact(result.error);
			}

			// eslint-disable-next-line no-await-in-loop
			await sleep(
				life.closing
					? Math.min(250, deadlineAt - timers.now())
					: retryDelayMs(attempt, {
							settings: options.backoff ?? defaultBackoff,
							retryAfterMs: judged.retryAfterMs,
							random: options.random,
						}),
			);
		}
	};

	const reject = (status: number, body: string) => {
		stats.rejected++;
		options.counters?.failed(name);
		// Redacted before it is cut short, so no part of a secret is left to show.
		const said = redact(body).replaceAll(/\s+/g, ' ').trim().slice(0, 200);
		lastFailure = `HTTP ${status}${statusNote(status)}, not retried${said === '' ? '' : `: ${said}`}`;
		// Once per status: a wrong key would otherwise say so for every event.
		if (!rejectedStatuses.has(status)) {
			rejectedStatuses.add(status);
			options.onNotice?.(
				`${name}: the peer refused an event with HTTP ${status}${statusNote(status)}, which a retry will not change; such events are dropped and counted${said === '' ? '' : ` (it said: ${said})`}`,
			);
		}
	};

	const drain = async () => {
		inFlight = true;
		while (waiting.length > 0 && !life.stopped) {
			// eslint-disable-next-line no-await-in-loop
			await deliver(waiting.shift()!);
		}

		inFlight = false;
		idle?.();
	};

	const queued = () => (life.stopped ? 0 : waiting.length + (inFlight ? 1 : 0));

	const stop = () => {
		life.stopped = true;
		abort.abort();
		wake?.();
		// What waits, and the one being tried, are not sent now.
		lose(waiting.length + (inFlight ? 1 : 0));
		waiting.length = 0;
	};

	return {
		enqueue(delivery) {
			if (life.closing) {
				lose(1);
				return;
			}

			if (waiting.length >= options.queueMax) {
				waiting.shift();
				lose(1);
			}

			waiting.push(delivery);
			if (!inFlight) {
				void drain();
			}
		},
		stats: () => ({...stats, queued: queued()}),
		health() {
			const counts = [
				`${stats.sent} sent`,
				stats.dropped > 0 ? `${stats.dropped} dropped` : '',
				stats.rejected > 0 ? `${stats.rejected} rejected` : '',
				queued() > 0 ? `${queued()} queued` : '',
			]
				.filter((part) => part !== '')
				.join(', ');
			return {
				name,
				ok: lastFailure === undefined,
				detail:
					lastFailure === undefined
						? counts
						: `${counts}; last attempt failed: ${lastFailure}`,
			};
		},
		async close(deadlineMs) {
			life.closing = true;
			deadlineAt = timers.now() + deadlineMs;
			if (!inFlight) {
				stop();
				return;
			}

			// A long backoff would outlast the deadline: the next try goes now.
			wake?.();
			await new Promise<void>((resolve) => {
				const cancel = timers.after(deadlineMs, () => {
					idle = undefined;
					resolve();
				});
				idle = () => {
					cancel();
					resolve();
				};
			});
			stop();
		},
	};
}
