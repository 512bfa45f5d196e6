// `--metrics ADDR` / exporters.prometheus.listen: the run's metrics for Prometheus to scrape.
// The hooks set numbers in memory; the HTTP server formats them when a scrape asks.
import {detectorSettings, type Config} from '../core/config.js';
import type {Prediction} from '../core/prediction.js';
import type {DetectorSettings} from '../core/rule-spec.js';
import {sinkNames} from '../core/sink-names.js';
import {serveMetrics} from '../adapters/metrics-server.js';
import {packageVersion} from '../adapters/package-version.js';
import type {NotificationCounters} from '../adapters/delivery-queue.js';
import {IntegrationError} from './integration-error.js';
import {createRunMetrics} from './run-metrics.js';
import type {RunIdentity, RunObserver} from './run-observer.js';

export type PrometheusExporter = RunObserver & {
	/** What the alert sinks count their deliveries and losses with. */
	notifications: NotificationCounters;
	/** host:port it listens on. */
	address: string;
};

const listenFailures: Record<string, string> = {
	EADDRINUSE:
		'the address is in use (another serialwatch, or another exporter?)',
	EACCES: 'permission denied (ports below 1024 need privileges)',
	EADDRNOTAVAIL: 'this host has no such address',
	ENOTFOUND: 'no such host',
};

/** Rejects, naming the address and how to change it, when it cannot listen. */
export async function openPrometheusExporter(
	listen: string,
	config: Config,
	identity: RunIdentity,
	run: {
		/** Epoch ms the run started at: the silence is counted from here. */
		startedAt?: number;
		/** The settings the run's detector starts with: the config's, unless given. */
		settings?: DetectorSettings;
		/** The detector's predictions, read at each scrape. */
		predictions?: () => readonly Prediction[];
		/** Wall-clock epoch ms (Date.now): what the time left to a crossing counts from. */
		clock?: () => number;
	} = {},
): Promise<PrometheusExporter> {
	const metrics = createRunMetrics({
		identity,
		settings: run.settings ?? detectorSettings(config),
		predictions: run.predictions,
		clock: run.clock,
		version: packageVersion(),
		sinks: sinkNames(config.alerts.sinks),
		startedAt: run.startedAt ?? Date.now(),
	});
	let running = true;
	let server;
	try {
		server = await serveMetrics(listen, metrics.registry, () => running);
	} catch (error) {
		const code =
			error instanceof Error && 'code' in error ? String(error.code) : '';
		const why =
			listenFailures[code] ??
			(error instanceof Error ? error.message : String(error));
		throw new IntegrationError(
			`the Prometheus exporter cannot listen on ${listen}: ${why}; choose another address with --metrics HOST:PORT or exporters.prometheus.listen in the config file`,
			{cause: error},
		);
	}

	const name = `prometheus ${server.address}`;
	return {
		address: server.address,
		notifications: metrics.notifications,
		onReadings(rows) {
			metrics.onReadings(rows);
		},
		onErrors: metrics.onErrors,
		onEvents: metrics.onEvents,
		onStatus: metrics.onStatus,
		health() {
			const scrapes = server.scrapes();
			return [
				{
					name,
					// Closed at the stop is no failure: the run's summary, read after the close,
					// would otherwise say FAILING at the end of every run.
					ok: true,
					detail: `${scrapes} scrape${scrapes === 1 ? '' : 's'}`,
				},
			];
		},
		async close() {
			// A last scrape may come while the files are flushed: it says the run is stopping.
			running = false;
			await server.close();
		},
	};
}
