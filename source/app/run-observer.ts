// The run's hooks, each also telling the observers that follow the run (their types are
// the adapters': adapters/run-observer.ts).
import type {IncidentEvent} from '../core/incident.js';
import type {MetricsRow} from '../adapters/metrics-csv.js';
import type {ParserError} from '../adapters/parser-error-log.js';
import type {RunObserver} from '../adapters/run-observer.js';
import type {SourceStatus} from '../adapters/serial-source.js';

export type {
	ObserverHealth,
	RunIdentity,
	RunObserver,
} from '../adapters/run-observer.js';

export type RunHooks = {
	onEvents(events: readonly IncidentEvent[]): void;
	onStatus(status: SourceStatus): void;
	onReadings?(rows: readonly MetricsRow[]): void;
	onErrors?(errors: readonly ParserError[]): void;
};

/**
 * The hooks, each also telling every observer in `observers` at the time of the call (the
 * run adds them once they are open). An observer that throws is told no more of that kind
 * and `onFault` says so once: a bug in an exporter must not stop the logging.
 */
export function withObservers<T extends RunHooks>(
	hooks: T,
	observers: readonly RunObserver[],
	onFault: (message: string) => void,
): T {
	const broken = new Set<string>();
	const tell = (
		kind: keyof RunHooks,
		call: (observer: RunObserver) => void,
	): void => {
		for (const [index, observer] of observers.entries()) {
			const key = `${index} ${kind}`;
			if (broken.has(key)) {
				continue;
			}

			try {
				call(observer);
			} catch (error) {
				broken.add(key);
				onFault(
					`${observer.health()[0]?.name ?? 'an integration'} failed on ${kind} and is told no more of it: ${error instanceof Error ? error.message : String(error)}`,
				);
			}
		}
	};

	return {
		...hooks,
		onEvents(events) {
			hooks.onEvents(events);
			tell('onEvents', (observer) => observer.onEvents?.(events));
		},
		onStatus(status) {
			hooks.onStatus(status);
			tell('onStatus', (observer) => observer.onStatus?.(status));
		},
		onReadings(rows) {
			hooks.onReadings?.(rows);
			tell('onReadings', (observer) => observer.onReadings?.(rows));
		},
		onErrors(errors) {
			hooks.onErrors?.(errors);
			tell('onErrors', (observer) => observer.onErrors?.(errors));
		},
	};
}
