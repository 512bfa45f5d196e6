// A peer's rate limit kept on our side (PagerDuty's events per minute per routing key,
// Slack's message a second): a bucket of `capacity` tokens refilled at `perSecond`, one
// token per request. Kept as a wait, not a refusal, so nothing is lost to it.

export type TokenBucket = {
	/** 0 and a token taken, or how many milliseconds until one is there (none taken). */
	take(now: number): number;
};

export function createTokenBucket(
	settings: {capacity: number; perSecond: number},
	now: number,
): TokenBucket {
	let tokens = settings.capacity;
	let filledAt = now;
	return {
		take(at) {
			tokens = Math.min(
				settings.capacity,
				tokens + (Math.max(0, at - filledAt) / 1000) * settings.perSecond,
			);
			filledAt = Math.max(filledAt, at);
			if (tokens >= 1) {
				tokens -= 1;
				return 0;
			}

			return Math.ceil(((1 - tokens) / settings.perSecond) * 1000);
		},
	};
}
