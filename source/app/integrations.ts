// The run's integrations with the monitoring stack around it, each off unless config.yaml
// (or a flag) turns it on: opened when the run starts, told what it sees through
// RunObserver, closed with a deadline when it stops.
import {basename} from 'node:path';
import process from 'node:process';
import type {Config} from '../core/config.js';
import {openAlertSinks} from '../adapters/alert-sinks.js';
import type {NotificationCounters} from '../adapters/delivery-queue.js';
import {openPrometheusExporter} from './prometheus-exporter.js';
import type {RunIdentity, RunObserver} from './run-observer.js';

export function runIdentity(config: Config, demo: boolean): RunIdentity {
	const port = demo ? 'demo' : config.serial.port;
	return {port, device: config.device.name ?? basename(port)};
}

/** What the run gives its integrations beyond the config. */
export type IntegrationContext = {
	/** Human messages (a sink's peer refusing its events, say). */
	onNotice?: (text: string) => void;
	/** Counts each alert sink's deliveries (the Prometheus exporter's). */
	notifications?: NotificationCounters;
	env?: Readonly<Record<string, string | undefined>>;
};

/**
 * Opens every integration the config turns on. Rejects (naming the setting and the fix)
 * when one cannot start, a listen address taken say: the run does not begin without it.
 */
export async function openIntegrations(
	config: Config,
	identity: RunIdentity,
	context: IntegrationContext = {},
): Promise<RunObserver[]> {
	// Each integration adds itself here, in the order its health is shown.
	const observers: RunObserver[] = [];
	// First: it is the one that can fail to open (its address taken), before anything else
	// has a socket or a timer to let go of.
	const {listen} = config.exporters.prometheus;
	const exporter =
		listen === null
			? undefined
			: await openPrometheusExporter(listen, config, identity);
	if (exporter) {
		observers.push(exporter);
	}

	// The sinks count what they deliver and lose in the exporter's series, when it is on.
	const notifications = exporter?.notifications ?? context.notifications;
	const sinks = openAlertSinks(config.alerts.sinks, identity, {
		env: context.env ?? process.env,
		notifications,
		onNotice: context.onNotice,
	});
	if (sinks) {
		observers.push(sinks);
	}

	return observers;
}
