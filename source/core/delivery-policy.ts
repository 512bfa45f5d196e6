// When to try a delivery to a network peer again, shared by every integration: retries
// with exponential backoff and full jitter (so a fleet that lost its peer together does not
// come back in step), a peer's Retry-After honoured, and no retry where the peer said the
// request itself is wrong.

export type Outcome = 'delivered' | 'retry' | 'rejected';

/** 2xx delivered; 408, 425, 429 and 5xx worth another try; any other 4xx never will be. */
export function outcomeOf(status: number): Outcome {
	if (status >= 200 && status < 300) {
		return 'delivered';
	}

	if (status === 408 || status === 425 || status === 429 || status >= 500) {
		return 'retry';
	}

	return 'rejected';
}

export type BackoffSettings = {firstMs: number; maxMs: number};

export const defaultBackoff: BackoffSettings = {firstMs: 500, maxMs: 60_000};

/**
 * The wait before retry number `attempt` (1 for the first retry): a random time up to
 * firstMs * 2^(attempt-1), capped at maxMs ("full jitter"), or what the peer asked for in
 * Retry-After if that is longer (still capped, at ten times maxMs).
 */
export function retryDelayMs(
	attempt: number,
	options: {
		settings?: BackoffSettings;
		retryAfterMs?: number | undefined;
		random?: () => number;
	} = {},
): number {
	const {firstMs, maxMs} = options.settings ?? defaultBackoff;
	const random = options.random ?? Math.random;
	const ceiling = Math.min(maxMs, firstMs * 2 ** Math.max(0, attempt - 1));
	const jittered = Math.round(random() * ceiling);
	const asked = options.retryAfterMs;
	return asked === undefined
		? jittered
		: Math.min(Math.max(asked, jittered), maxMs * 10);
}

/** A Retry-After header (seconds, or an HTTP date) as milliseconds from `now`. */
export function parseRetryAfter(
	value: string | undefined,
	now: number,
): number | undefined {
	if (value === undefined || value.trim() === '') {
		return undefined;
	}

	const text = value.trim();
	if (/^\d+$/.test(text)) {
		return Number(text) * 1000;
	}

	const at = Date.parse(text);
	return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
