import test from 'ava';
import {
	outcomeOf,
	parseRetryAfter,
	retryDelayMs,
} from '../../source/core/delivery-policy.js';

test('2xx delivered; 408, 425, 429 and 5xx retried; other 4xx rejected for good', (t) => {
	t.deepEqual(
		[200, 202, 204, 400, 401, 403, 404, 408, 413, 425, 429, 500, 502, 503].map(
			(status) => `${status} ${outcomeOf(status)}`,
		),
		[
			'200 delivered',
			'202 delivered',
			'204 delivered',
			'400 rejected',
			'401 rejected',
			'403 rejected',
			'404 rejected',
			'408 retry',
			'413 rejected',
			'425 retry',
			'429 retry',
			'500 retry',
			'502 retry',
			'503 retry',
		],
	);
});

test('backoff: full jitter under a ceiling that doubles to the maximum; Retry-After wins when longer', (t) => {
	const settings = {firstMs: 100, maxMs: 1000};
	const most = (attempt: number) =>
		retryDelayMs(attempt, {settings, random: () => 1});
	t.deepEqual(
		[1, 2, 3, 4, 5, 9].map((attempt) => most(attempt)),
		[100, 200, 400, 800, 1000, 1000],
	);
	t.is(retryDelayMs(3, {settings, random: () => 0}), 0);
	t.is(
		retryDelayMs(1, {settings, random: () => 0.5, retryAfterMs: 7000}),
		7000,
	);
	// A peer asking for a day is held to ten times the maximum.
	t.is(retryDelayMs(1, {settings, retryAfterMs: 86_400_000}), 10_000);
});

test('Retry-After in seconds or as an HTTP date; nonsense is no answer', (t) => {
	const now = Date.parse('2026-12-01T10:00:00Z');
	t.is(parseRetryAfter('120', now), 120_000);
	t.is(parseRetryAfter('Tue, 01 Dec 2026 10:00:30 GMT', now), 30_000);
	t.is(parseRetryAfter('Tue, 01 Dec 2026 09:00:00 GMT', now), 0);
	t.is(parseRetryAfter('soon', now), undefined);
	t.is(parseRetryAfter(undefined, now), undefined);
});
