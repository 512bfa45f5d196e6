// One request at a time to a peer that takes batches (Alertmanager's alert list, InfluxDB's
// points): the owner says what to send next, this sends it, and tries again after a backoff
// (core/delivery-policy.ts) on a network failure, 429 or 5xx, until it is delivered or the
// peer refuses it for good. It runs in the background: kick() returns at once.
import {setTimeout as sleep} from 'node:timers/promises';
import {
	defaultBackoff,
	retryDelayMs,
	type BackoffSettings,
} from '../core/delivery-policy.js';
import {judgePost, type Attempt, type PostResult} from './http-post.js';

export type RetryingPusher = {
	/** Starts sending what take() gives, unless already at it. */
	kick(): void;
	/** The last attempt's result (undefined before the first). */
	last(): Attempt | undefined;
	/** Sends what is left until take() has nothing or the deadline; then gives up and stops. */
	drain(deadlineMs: number): Promise<void>;
};

export function createRetryingPusher<Payload>(options: {
	backoff?: BackoffSettings;
	/** The next thing to send, undefined when there is none. */
	take(): Payload | undefined;
	send(payload: Payload, signal: AbortSignal): Promise<PostResult>;
	/** Delivered, or refused for good (never called for an attempt that will be retried). */
	settled(payload: Payload, attempt: Attempt): void;
	/** Each failed attempt that will be retried. */
	retrying?(payload: Payload, attempt: Attempt): void;
}): RetryingPusher {
	const stop = new AbortController();
	let running: Promise<void> | undefined;
	let lastAttempt: Attempt | undefined;

	const deliver = async (payload: Payload) => {
		for (let retries = 0; !stop.signal.aborted;) {
			// eslint-disable-next-line no-await-in-loop
			const result = await options.send(payload, stop.signal);
			if (stop.signal.aborted && lastAttempt?.outcome === 'retry') {
				// Cut short by the stop: the health keeps what the peer last did wrong.
				return;
			}

			const attempt = judgePost(result, Date.now());
			lastAttempt = attempt;
			if (attempt.outcome !== 'retry') {
				options.settled(payload, attempt);
				return;
			}

			options.retrying?.(payload, attempt);
			retries++;
			// eslint-disable-next-line no-await-in-loop
			await sleep(
				retryDelayMs(retries, {
					settings: options.backoff ?? defaultBackoff,
					retryAfterMs: attempt.retryAfterMs,
				}),
				undefined,
				{signal: stop.signal},
			).catch(() => undefined);
		}
	};

	const loop = async () => {
		// What the caller enqueues in the same turn goes out together.
		await Promise.resolve();
		// Nothing is taken once stopped: what take() hands over would be lost uncounted.
		const next = () => (stop.signal.aborted ? undefined : options.take());
		for (let payload = next(); payload !== undefined; payload = next()) {
			// eslint-disable-next-line no-await-in-loop
			await deliver(payload);
		}

		// In the same turn as the take() that found nothing, so no kick() can fall between.
		running = undefined;
	};

	return {
		kick() {
			if (running === undefined && !stop.signal.aborted) {
				running = loop();
			}
		},
		last: () => lastAttempt,
		async drain(deadlineMs) {
			const deadline = setTimeout(() => {
				stop.abort();
			}, deadlineMs);
			this.kick();
			await running;
			clearTimeout(deadline);
			stop.abort();
		},
	};
}
