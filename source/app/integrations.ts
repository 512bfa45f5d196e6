// The run's integrations with the monitoring stack around it, each off unless config.yaml
// (or a flag) turns it on: opened when the run starts, told what it sees through
// RunObserver, closed with a deadline when it stops.
import {basename} from 'node:path';
import process from 'node:process';
import type {Config} from '../core/config.js';
import {
	exporterURL,
	openAlertmanagerSink,
	type NotificationCounters,
} from '../adapters/alertmanager-sink.js';
import {openInfluxWriter} from '../adapters/influxdb-writer.js';
import type {RunIdentity, RunObserver} from './run-observer.js';

export function runIdentity(config: Config, demo: boolean): RunIdentity {
	const port = demo ? 'demo' : config.serial.port;
	return {port, device: config.device.name ?? basename(port)};
}

/** What integrations share: where they tell the user something, secrets, counters. */
export type IntegrationContext = {
	environment?: NodeJS.ProcessEnv;
	counters?: NotificationCounters;
	notice(text: string): void;
};

/**
 * Opens every integration the config turns on. Rejects (naming the setting and the fix)
 * when one cannot start, a listen address taken say: the run does not begin without it.
 */
export async function openIntegrations(
	config: Config,
	identity: RunIdentity,
	context: IntegrationContext,
): Promise<RunObserver[]> {
	const environment = context.environment ?? process.env;
	// Each integration adds itself here, in the order its health is shown.
	const observers: RunObserver[] = [];
	const influx = config.exporters.influxdb;
	if (influx.url !== null) {
		observers.push(
			openInfluxWriter(influx, identity, {...context, environment}),
		);
	}

	for (const [index, sink] of config.alerts.sinks.entries()) {
		if (sink.type === 'alertmanager') {
			observers.push(
				openAlertmanagerSink(sink, identity, {
					...context,
					name:
						sink.name ?? `alertmanager${index === 0 ? '' : `-${index + 1}`}`,
					generatorURL: exporterURL(config.exporters.prometheus.listen),
				}),
			);
		}
	}

	return observers;
}
