// Readings and incident events to InfluxDB, in line protocol over plain HTTP: one request
// shape serves 1.x (/write, Debian ships 1.6) and 2.x (/api/v2/write), which the official
// client (1.8+ only) does not. Points wait in a bounded queue (the oldest dropped, counted)
// and go out every flush_interval_s, or as soon as batch_points wait.
import {Buffer} from 'node:buffer';
import type {Config} from '../core/config.js';
import type {DeviceProfile} from '../core/device-profile.js';
import {incidentPoint, readingPoint} from '../core/line-protocol.js';
import type {BackoffSettings} from '../core/delivery-policy.js';
import type {RunIdentity, RunObserver} from './run-observer.js';
import {post} from './http-post.js';
import {createRetryingPusher} from './retrying-pusher.js';
import {secretFromEnvironment} from './secret-environment.js';

export type InfluxSettings = Config['exporters']['influxdb'];

type Target = {url: string; headers: Record<string, string>};

/** Where to write, and how to sign in; throws naming a secret's variable that is not set. */
export function influxTarget(
	settings: InfluxSettings,
	environment: NodeJS.ProcessEnv,
): Target {
	const base = (settings.url ?? '').replace(/\/+$/, '');
	const key = 'exporters.influxdb';
	if (settings.version === 2) {
		const query = new URLSearchParams({
			org: settings.org ?? '',
			bucket: settings.bucket ?? '',
			precision: 'ms',
		});
		const token = secretFromEnvironment(
			environment,
			`${key}.token_env`,
			settings.token_env,
		);
		return {
			url: `${base}/api/v2/write?${query.toString()}`,
			headers: token === undefined ? {} : {authorization: `Token ${token}`},
		};
	}

	const query = new URLSearchParams({db: settings.database, precision: 'ms'});
	const user = secretFromEnvironment(
		environment,
		`${key}.username_env`,
		settings.username_env,
	);
	const password = secretFromEnvironment(
		environment,
		`${key}.password_env`,
		settings.password_env,
	);
	const basic =
		user === undefined && password === undefined
			? undefined
			: Buffer.from(`${user ?? ''}:${password ?? ''}`).toString('base64');
	return {
		url: `${base}/write?${query.toString()}`,
		headers: basic === undefined ? {} : {authorization: `Basic ${basic}`},
	};
}

export function openInfluxWriter(
	settings: InfluxSettings,
	identity: RunIdentity,
	options: {
		/** The device whose readings become points: a field per declared field. */
		profile: DeviceProfile;
		environment: NodeJS.ProcessEnv;
		backoff?: BackoffSettings;
		notice(text: string): void;
	},
): RunObserver {
	const target = influxTarget(settings, options.environment);
	// A plain array read from `head`, compacted now and then: dropping the oldest with
	// splice() would move the whole queue at every reading once it is full.
	let queue: string[] = [];
	let head = 0;
	const waiting = () => queue.length - head;
	const advance = (count: number) => {
		head += count;
		if (head > 1024 && head * 2 > queue.length) {
			queue = queue.slice(head);
			head = 0;
		}
	};

	// The batch being tried: lost, and counted, if the close cuts it short.
	let sending: string[] | undefined;
	let flushDue = false;
	let draining = false;
	let written = 0;
	let dropped = 0;
	let refused = 0;
	const refusalsTold = new Set<number | string>();

	const pusher = createRetryingPusher<string[]>({
		backoff: options.backoff,
		take() {
			if (
				waiting() === 0 ||
				(waiting() < settings.batch_points && !flushDue && !draining)
			) {
				flushDue &&= waiting() > 0;
				return undefined;
			}

			const batch = queue.slice(head, head + settings.batch_points);
			advance(batch.length);
			return batch;
		},
		async send(points, signal) {
			sending = points;
			return post(target.url, `${points.join('\n')}\n`, {
				contentType: 'text/plain; charset=utf-8',
				headers: target.headers,
				timeoutMs: settings.timeout_s * 1000,
				signal,
			});
		},
		settled(points, attempt) {
			sending = undefined;
			if (attempt.outcome === 'delivered') {
				written += points.length;
				return;
			}

			// A partial write (400) has stored the points it could; sending it again would
			// not make the others valid. Said once per kind of refusal, counted each time.
			refused += points.length;
			const kind = attempt.detail.slice(0, 8);
			if (!refusalsTold.has(kind)) {
				refusalsTold.add(kind);
				options.notice(
					`influxdb refused ${points.length} points (${attempt.detail}); such batches are counted, not sent again`,
				);
			}
		},
	});

	const enqueue = (line: string | undefined) => {
		if (line !== undefined) {
			queue.push(line);
		}
	};

	const bound = () => {
		const excess = waiting() - settings.queue_points;
		if (excess > 0) {
			advance(excess);
			dropped += excess;
		}

		if (waiting() >= settings.batch_points) {
			pusher.kick();
		}
	};

	const timer = setInterval(() => {
		flushDue = true;
		pusher.kick();
	}, settings.flush_interval_s * 1000);
	timer.unref();

	return {
		onReadings(rows) {
			for (const row of rows) {
				enqueue(readingPoint(options.profile, identity, row.time, row.reading));
			}

			bound();
		},
		onEvents(events) {
			for (const event of events) {
				enqueue(incidentPoint(identity, event));
			}

			bound();
		},
		health() {
			const last = pusher.last();
			const ok = last === undefined || last.outcome === 'delivered';
			const counts = `${written} points written, ${waiting()} queued, ${dropped} dropped, ${refused} refused`;
			return [
				{
					name: 'influxdb',
					ok,
					detail: ok ? counts : `${last?.detail ?? ''}; ${counts}`,
				},
			];
		},
		async close(deadlineMs) {
			clearInterval(timer);
			draining = true;
			await pusher.drain(deadlineMs);
			// What the deadline left unsent is lost: counted, as the queue's drops are.
			dropped += waiting() + (sending?.length ?? 0);
			advance(waiting());
			sending = undefined;
		},
	};
}
