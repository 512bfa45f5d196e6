// The run's integrations with the monitoring stack around it, each off unless config.yaml
// (or a flag) turns it on: opened when the run starts, told what it sees through
// RunObserver, closed with a deadline when it stops.
import {basename} from 'node:path';
import type {Config} from '../core/config.js';
import {openPrometheusExporter} from './prometheus-exporter.js';
import type {RunIdentity, RunObserver} from './run-observer.js';

export function runIdentity(config: Config, demo: boolean): RunIdentity {
	const port = demo ? 'demo' : config.serial.port;
	return {port, device: config.device.name ?? basename(port)};
}

/**
 * Opens every integration the config turns on. Rejects (naming the setting and the fix)
 * when one cannot start, a listen address taken say: the run does not begin without it.
 */
export async function openIntegrations(
	config: Config,
	identity: RunIdentity,
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

	// The alert sinks count their deliveries and losses with
	// `exporter?.notifications ?? uncountedIntegrationMetrics` (integration-metrics.ts).
	return observers;
}
