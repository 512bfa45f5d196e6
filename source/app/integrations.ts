// The run's integrations with the monitoring stack around it, each off unless config.yaml
// (or a flag) turns it on: opened when the run starts, told what it sees through
// RunObserver, closed with a deadline when it stops.
import {basename} from 'node:path';
import process from 'node:process';
import {detectorSettings, type Config} from '../core/config.js';
import {fieldOfType} from '../core/detector.js';
import type {Prediction} from '../core/prediction.js';
import {sinkNames} from '../core/sink-names.js';
import {openAlertSinks} from '../adapters/alert-sinks.js';
import {
	exporterURL,
	openAlertmanagerSink,
} from '../adapters/alertmanager-sink.js';
import type {NotificationCounters} from '../adapters/delivery-queue.js';
import {openInfluxWriter} from '../adapters/influxdb-writer.js';
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
	/** Counts each alert sink's deliveries (the Prometheus exporter's, when it is off). */
	notifications?: NotificationCounters;
	env?: NodeJS.ProcessEnv;
	/** The detector's time-to-threshold predictions that hold now (the exporter reads them at each scrape). */
	predictions?: () => readonly Prediction[];
	/** Wall-clock epoch ms (Date.now): the predictions' crossing times are on its time line. */
	clock?: () => number;
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
	const environment = context.env ?? process.env;
	const notice =
		context.onNotice ??
		(() => {
			// Nobody to tell.
		});
	const settings = detectorSettings(config);
	const {profile} = settings;
	const fieldOf = (type: string) => fieldOfType(settings, type);
	// Each integration adds itself here, in the order its health is shown.
	const observers: RunObserver[] = [];
	// First: it is the one that can fail to open (its address taken), before anything else
	// has a socket or a timer to let go of.
	const {listen} = config.exporters.prometheus;
	const exporter =
		listen === null
			? undefined
			: await openPrometheusExporter(listen, config, identity, {
					settings,
					predictions: context.predictions,
					clock: context.clock,
				});
	if (exporter) {
		observers.push(exporter);
	}

	// The sinks count what they deliver and lose in the exporter's series, when it is on.
	const notifications = exporter?.notifications ?? context.notifications;
	try {
		const influx = config.exporters.influxdb;
		if (influx.url !== null) {
			observers.push(
				openInfluxWriter(influx, identity, {profile, environment, notice}),
			);
		}

		const names = sinkNames(config.alerts.sinks);
		for (const [index, sink] of config.alerts.sinks.entries()) {
			if (sink.type === 'alertmanager') {
				observers.push(
					openAlertmanagerSink(sink, identity, {
						name: names[index]!,
						fieldOf,
						generatorURL: exporterURL(listen),
						counters: notifications,
						notice,
					}),
				);
			}
		}

		const sinks = openAlertSinks(config.alerts.sinks, identity, {
			fieldOf,
			env: environment,
			notifications,
			onNotice: notice,
		});
		if (sinks) {
			observers.push(sinks);
		}
	} catch (error) {
		// One that cannot start (a secret not set) stops the others already open.
		await Promise.all(observers.map(async (observer) => observer.close(0)));
		throw error;
	}

	return observers;
}
