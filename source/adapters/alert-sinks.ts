// The alert sinks that post each incident event on their own (PagerDuty, Slack, a generic
// webhook): one delivery queue per sink, fed by the run's onEvents hook, which only
// builds the payload and queues it. Secrets are read from the environment variables the
// config names, checked before the run begins, and kept out of every message.
import {hostname} from 'node:os';
import {
	pagerDutyEvent,
	sinkTakes,
	slackMessage,
	webhookBody,
	type FieldOfType,
	type RunLabels,
} from '../core/alert-payloads.js';
import type {AlertSinkConfig} from '../core/config.js';
import type {BackoffSettings} from '../core/delivery-policy.js';
import type {IncidentEvent} from '../core/incident.js';
import {InputError} from '../core/input-error.js';
import {sinkNames} from '../core/sink-names.js';
import {createTokenBucket, type TokenBucket} from '../core/token-bucket.js';
import type {RunObserver} from './run-observer.js';
import {
	createDeliveryQueue,
	realTimers,
	type Delivery,
	type DeliveryQueue,
	type NotificationCounters,
	type Timers,
} from './delivery-queue.js';

export type AlertSinkContext = {
	/** The field an incident type is about, which each payload names. */
	fieldOf: FieldOfType;
	/** Where secrets are read from: process.env. */
	env: Readonly<Record<string, string | undefined>>;
	/** The machine's name, PagerDuty's source with the port (default: os.hostname()). */
	host?: string;
	notifications?: NotificationCounters | undefined;
	onNotice?: ((message: string) => void) | undefined;
	timers?: Timers;
	backoff?: BackoffSettings;
};

type PostingSinkConfig = Extract<
	AlertSinkConfig,
	{type: 'pagerduty' | 'slack' | 'webhook'}
>;

// PagerDuty takes about 120 events a minute per routing key: 2 a second, bursts of 10.
const pagerDutyRate = {capacity: 10, perSecond: 2};
// Slack's incoming webhooks take one message a second.
const slackRate = {capacity: 1, perSecond: 1};

type Sink = {
	config: PostingSinkConfig;
	queue: DeliveryQueue;
	build(event: IncidentEvent): Delivery;
};

/**
 * The sinks of these types among `sinks` (named as in metrics: see sinkNames), as one
 * observer; undefined when there are none. Throws an InputError naming the variable and
 * the sink when a secret's variable is unset, so the run does not begin without it.
 */
export function openAlertSinks(
	sinks: readonly AlertSinkConfig[],
	labels: RunLabels,
	context: AlertSinkContext,
): RunObserver | undefined {
	const names = sinkNames(sinks);
	const timers = context.timers ?? realTimers;
	const host = context.host ?? hostname();
	const buckets = new Map<string, TokenBucket>();
	const problems: string[] = [];
	const opened: Sink[] = [];
	for (const [index, config] of sinks.entries()) {
		if (config.type === 'alertmanager') {
			continue;
		}

		const name = names[index]!;
		const where = `alerts.sinks[${index}] (${name})`;
		const secret = (variable: string, holds: string) => {
			const value = context.env[variable];
			if (value === undefined || value === '') {
				problems.push(
					`${where}: the environment variable ${variable} is not set; it must hold ${holds}`,
				);
				return undefined;
			}

			return value;
		};

		const queueOf = (secrets: string[], bucket?: TokenBucket) =>
			createDeliveryQueue({
				name,
				queueMax: config.queue_max,
				timeoutMs: config.timeout_s * 1000,
				timers,
				backoff: context.backoff,
				secrets,
				counters: context.notifications,
				onNotice: context.onNotice,
				pace: bucket && ((now) => bucket.take(now)),
			});
		const json = (url: string, body: unknown): Delivery => ({
			url,
			body: JSON.stringify(body),
			contentType: 'application/json',
		});

		switch (config.type) {
			case 'pagerduty': {
				const key = secret(config.routing_key_env, 'the routing key');
				if (key === undefined) {
					break;
				}

				// The limit is PagerDuty's per key: sinks sharing a key share it.
				const bucket =
					buckets.get(key) ?? createTokenBucket(pagerDutyRate, timers.now());
				buckets.set(key, bucket);
				opened.push({
					config,
					queue: queueOf([key], bucket),
					build: (event) =>
						json(
							config.url,
							pagerDutyEvent(event, key, labels, {
								host,
								field: context.fieldOf(event.incident.type),
							}),
						),
				});
				break;
			}

			case 'slack': {
				const url = webhookUrl(
					secret(config.url_env, "the Slack webhook's URL"),
					config.url_env,
					where,
					problems,
				);
				if (url !== undefined) {
					opened.push({
						config,
						queue: queueOf(
							secretsOf(url),
							createTokenBucket(slackRate, timers.now()),
						),
						build: (event) =>
							json(
								url,
								slackMessage(
									event,
									labels,
									context.fieldOf(event.incident.type),
								),
							),
					});
				}

				break;
			}

			case 'webhook': {
				const url =
					config.url_env === null
						? config.url
						: webhookUrl(
								secret(config.url_env, "the webhook's URL"),
								config.url_env,
								where,
								problems,
							);
				if (url !== null && url !== undefined) {
					opened.push({
						config,
						queue: queueOf(config.url_env === null ? [] : secretsOf(url)),
						build: (event) =>
							json(
								url,
								webhookBody(
									event,
									labels,
									context.fieldOf(event.incident.type),
								),
							),
					});
				}

				break;
			}
		}
	}

	if (problems.length > 0) {
		for (const sink of opened) {
			void sink.queue.close(0);
		}

		throw new InputError('alert sink setting', problems);
	}

	if (opened.length === 0) {
		return undefined;
	}

	return {
		onEvents(events) {
			for (const sink of opened) {
				for (const event of events) {
					if (sinkTakes(sink.config, event.incident)) {
						sink.queue.enqueue(sink.build(event));
					}
				}
			}
		},
		health: () => opened.map((sink) => sink.queue.health()),
		async close(deadlineMs) {
			await Promise.all(
				opened.map(async (sink) => sink.queue.close(deadlineMs)),
			);
		},
	};
}

/** A URL from the environment, checked without ever showing it. */
function webhookUrl(
	value: string | undefined,
	variable: string,
	where: string,
	problems: string[],
): string | undefined {
	if (value === undefined) {
		return undefined;
	}

	if (!/^https?:\/\/\S+$/.test(value) || !URL.canParse(value)) {
		problems.push(
			`${where}: the environment variable ${variable} does not hold an http:// or https:// URL`,
		);
		return undefined;
	}

	return value;
}

/** A URL with a token in it, and its path (the token's usual place), never to be shown. */
function secretsOf(url: string): string[] {
	const {pathname, search} = new URL(url);
	return [
		url,
		...(pathname.length > 1 ? [pathname] : []),
		...(search.length > 1 ? [search] : []),
	];
}
