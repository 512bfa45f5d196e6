// Incidents to Alertmanager as Prometheus's notifier sends them: the whole list of held
// alerts (core/alertmanager-alerts.ts) POSTed to /api/v2/alerts on every change and every
// resend_interval_s, one request at a time, tried again with backoff on a network failure,
// 429 or 5xx. Alertmanager does the grouping, silencing and routing.
import {hostname} from 'node:os';
import type {FieldOfType} from '../core/alert-payloads.js';
import type {AlertSinkConfig} from '../core/config.js';
import type {BackoffSettings} from '../core/delivery-policy.js';
import {
	applyEvents,
	postableAlert,
	pruneAlerts,
	type HeldAlert,
} from '../core/alertmanager-alerts.js';
import type {RunIdentity, RunObserver} from './run-observer.js';
import type {NotificationCounters} from './delivery-queue.js';
import {post} from './http-post.js';
import {createRetryingPusher} from './retrying-pusher.js';

export type AlertmanagerSinkConfig = Extract<
	AlertSinkConfig,
	{type: 'alertmanager'}
>;

/** Counts deliveries per sink (the exporter's serialwatch_notifications_*_total). */

/** The exporter's page for an alert's generatorURL, from its listen address. */
export function exporterURL(listen: string | null): string | undefined {
	if (listen === null) {
		return undefined;
	}

	const at = listen.lastIndexOf(':');
	const host = listen.slice(0, at);
	const everywhere = ['', '0.0.0.0', '[::]'].includes(host);
	return `http://${everywhere ? hostname() : host}:${listen.slice(at + 1)}/metrics`;
}

export function openAlertmanagerSink(
	sink: AlertmanagerSinkConfig,
	identity: RunIdentity,
	options: {
		name: string;
		/** The field an incident type is about: each alert's `field` label. */
		fieldOf: FieldOfType;
		generatorURL: string | undefined;
		counters?: NotificationCounters | undefined;
		backoff?: BackoffSettings;
		notice(text: string): void;
	},
): RunObserver {
	const {name, counters} = options;
	const url = `${sink.url.replace(/\/+$/, '')}/api/v2/alerts`;
	const resendIntervalMs = sink.resend_interval_s * 1000;
	const held = new Map<string, HeldAlert>();
	let due = false;
	let sent = 0;
	let dropped = 0;
	let refused = 0;
	const refusalsTold = new Set<string>();

	const pusher = createRetryingPusher<true>({
		backoff: options.backoff,
		take() {
			if (!due) {
				return undefined;
			}

			due = false;
			return true;
		},
		// Built when sent, not when taken: a retry sends the alerts as they are by then.
		async send(_payload, signal) {
			const now = Date.now();
			drop(pruneAlerts(held, now, sink.queue_max));
			const alerts = [...held.values()].map((alert) =>
				postableAlert(alert, {
					identity,
					field: options.fieldOf(alert.entry.type),
					now,
					resendIntervalMs,
					generatorURL: options.generatorURL,
				}),
			);
			return post(url, JSON.stringify(alerts), {
				contentType: 'application/json',
				timeoutMs: sink.timeout_s * 1000,
				signal,
			});
		},
		settled(_payload, attempt) {
			if (attempt.outcome === 'delivered') {
				sent++;
				counters?.sent(name);
				return;
			}

			refused++;
			counters?.failed(name);
			const kind = attempt.detail.slice(0, 8);
			if (!refusalsTold.has(kind)) {
				refusalsTold.add(kind);
				options.notice(
					`${name} refused the alerts (${attempt.detail}); counted, sent again at the next change or resend`,
				);
			}
		},
	});

	function drop(count: number) {
		for (let index = 0; index < count; index++) {
			dropped++;
			counters?.failed(name);
		}
	}

	const timer = setInterval(() => {
		due = held.size > 0;
		pusher.kick();
	}, resendIntervalMs);
	timer.unref();

	return {
		onEvents(events) {
			if (applyEvents(held, events, sink, Date.now())) {
				drop(pruneAlerts(held, Date.now(), sink.queue_max));
				due = true;
				pusher.kick();
			}
		},
		health() {
			const last = pusher.last();
			const ok = last === undefined || last.outcome === 'delivered';
			const firing = [...held.values()].filter(
				(alert) => alert.resolvedAt === undefined,
			).length;
			const counts = `${firing} firing, ${sent} sent, ${dropped} dropped, ${refused} refused`;
			return [
				{
					name,
					ok,
					detail: ok ? counts : `${last?.detail ?? ''}; ${counts}`,
				},
			];
		},
		async close(deadlineMs) {
			clearInterval(timer);
			await pusher.drain(deadlineMs);
		},
	};
}
