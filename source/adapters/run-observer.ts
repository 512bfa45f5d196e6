// What follows a run beyond its files: the Prometheus exporter, the alert sinks, the
// InfluxDB writer. Each is told what the run sees, as it sees it, and must never hold the
// run up: its hooks return at once (network work is queued), a hook that throws is its own
// fault, not the run's, and close() is given a deadline. The types live here, beside the
// adapters that implement them, so that no adapter reaches up into app/.
import type {IncidentEvent} from '../core/incident.js';
import type {MetricsRow} from './metrics-csv.js';
import type {ParserError} from './parser-error-log.js';
import type {SourceStatus} from './serial-source.js';

export type ObserverHealth = {
	/** As shown in the header and the summary, e.g. `pagerduty` or `prometheus :9464`. */
	name: string;
	ok: boolean;
	/** Why not ok, or what it has done (`12 sent, 2 dropped`). */
	detail: string;
};

export type RunObserver = {
	onEvents?(events: readonly IncidentEvent[]): void;
	onReadings?(rows: readonly MetricsRow[]): void;
	onErrors?(errors: readonly ParserError[]): void;
	onStatus?(status: SourceStatus): void;
	/** Each part it runs (one per sink, say), for the header and the summary. */
	health(): ObserverHealth[];
	/** Delivers what it can within `deadlineMs`, then lets go of its sockets and timers. */
	close(deadlineMs: number): Promise<void>;
};

/** What observers name the run by: its `port` and `device` labels. */
export type RunIdentity = {
	port: string;
	device: string;
};
