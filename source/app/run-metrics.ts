// The run as Prometheus metrics, in a registry of its own (not prom-client's global one, so
// that two runs in one process, as in the tests, do not share series). Named after
// Prometheus's guidelines: base units in the name, `_total` on counters, and every series a
// query may look for present from the start, at 0, so that rate() and absent() mean what
// they say. The hooks only set numbers: a scrape does the formatting.
import {collectDefaultMetrics, Counter, Gauge, Registry} from 'prom-client';
import type {IncidentEvent} from '../core/incident.js';
import type {Prediction} from '../core/prediction.js';
import {statusLevels, type StatusLevel} from '../core/protocol.js';
import type {DetectorSettings} from '../core/rule-spec.js';
import {statusTextLevel} from '../core/field-bands.js';
import {incidentTypesOf} from '../core/rules/rule-types.js';
import type {ParserError} from '../adapters/parser-error-log.js';
import type {SourceStatus} from '../adapters/serial-source.js';
import type {NotificationCounters} from '../adapters/delivery-queue.js';
import {fieldMetric, statusMetricName} from '../core/metric-names.js';
import type {RunIdentity} from './run-observer.js';
import type {ReadingRow} from './monitor-state.js';

export type RunMetricsOptions = {
	identity: RunIdentity;
	/** The device's fields and rules: a gauge per field, incident series per rule. */
	settings: DetectorSettings;
	version: string;
	/** The alert sinks' names: their notification counters start at 0. */
	sinks: readonly string[];
	/** Epoch ms: the silence alert counts from here until the first line. */
	startedAt: number;
	/** process_* and nodejs_* (off in unit tests, where they are noise). */
	defaultMetrics?: boolean;
	/** The predictions that hold now, read at each scrape; none without it. */
	predictions?: () => readonly Prediction[];
	/** Wall-clock epoch ms at a scrape (Date.now): what the time left is counted from. */
	clock?: () => number;
};

export type RunMetrics = {
	registry: Registry;
	notifications: NotificationCounters;
	onReadings(rows: readonly ReadingRow[]): void;
	onErrors(errors: readonly ParserError[]): void;
	onEvents(events: readonly IncidentEvent[]): void;
	onStatus(status: SourceStatus): void;
};

const prefix = 'serialwatch_';

export function createRunMetrics(options: RunMetricsOptions): RunMetrics {
	const registry = new Registry();
	if (options.defaultMetrics ?? true) {
		collectDefaultMetrics({register: registry});
		// Gauges named like counters, which promtool's lint rejects; each is the sum of the
		// series of the same name without `_total`, which stay.
		for (const name of [
			'nodejs_active_handles_total',
			'nodejs_active_requests_total',
			'nodejs_active_resources_total',
		]) {
			registry.removeSingleMetric(name);
		}
	}

	const registers = [registry];
	const run = options.identity;
	const runGauge = (name: string, help: string) =>
		new Gauge({
			name: prefix + name,
			help,
			labelNames: ['port', 'device'],
			registers,
		}).labels(run);
	const runCounter = (name: string, help: string) => {
		const counter = new Counter({
			name: prefix + name,
			help,
			labelNames: ['port', 'device'],
			registers,
		}).labels(run);
		counter.inc(0);
		return counter;
	};

	const {profile} = options.settings;
	// No reading yet: no series of a number field either, since a 0 would read as 0 °C.
	const numbers = profile.fields.flatMap((field, index) => {
		if (field.type !== 'number') {
			return [];
		}

		const metric = fieldMetric(field);
		const help = `${field.label} of the last valid reading${metric.unstatedUnit === undefined ? '' : `, in ${metric.unstatedUnit}`}.`;
		return [
			{
				index,
				scale: metric.scale,
				gauge: new Gauge({
					name: metric.name,
					help,
					labelNames: ['port', 'device'],
					registers,
				}).labels(run),
			},
		];
	});
	const statusFields = profile.fields.flatMap((field, index) =>
		field.type === 'status' ? [{field, index}] : [],
	);
	const lines = runCounter(
		'lines_total',
		'Lines received from the device, valid or not.',
	);
	const parseErrors = runCounter(
		'parse_errors_total',
		'Lines that were not a valid reading.',
	);
	const lastLine = runGauge(
		'last_line_timestamp_seconds',
		'When the last line came (Unix time); the start of the run until the first one.',
	);
	lastLine.set(options.startedAt / 1000);
	const portUp = runGauge(
		'port_up',
		'1 while the serial port is open, 0 while it is away or being retried.',
	);
	portUp.set(0);

	const levelGauge = (name: string, help: string) => {
		const gauge = new Gauge({
			name,
			help,
			labelNames: ['port', 'device', 'level'],
			registers,
		});
		const children = new Map(
			statusLevels.map((level) => {
				const child = gauge.labels({...run, level});
				child.set(0);
				return [level, child];
			}),
		);
		let current: StatusLevel | undefined;
		return (level: StatusLevel | undefined) => {
			if (level !== current) {
				if (current !== undefined) {
					children.get(current)?.set(0);
				}

				if (level !== undefined) {
					children.get(level)?.set(1);
				}

				current = level;
			}
		};
	};

	// The device's own level: the worst of its status fields'. None, none to show.
	const deviceLevel =
		statusFields.length === 0
			? undefined
			: levelGauge(
					`${prefix}device_status`,
					'The level of the status the device last sent: 1 for the current level, 0 for the others.',
				);
	// A declared device's status fields, each on its own; the built-in one has only
	// device_status, as it always had.
	const fieldLevels = profile.builtin
		? []
		: statusFields.map(({field, index}) => ({
				field,
				index,
				set: levelGauge(
					statusMetricName(field),
					`The level of ${field.label} as the device last sent it: 1 for the current level, 0 for the others.`,
				),
			}));

	const ruleLabels = ['port', 'device', 'rule'] as const;
	const active = new Gauge({
		name: `${prefix}incidents_active`,
		help: 'Incidents of the rule open now.',
		labelNames: ruleLabels,
		registers,
	});
	const fired = new Counter({
		name: `${prefix}incidents_total`,
		help: 'Incidents of the rule that fired.',
		labelNames: ruleLabels,
		registers,
	});
	const rules = new Map(
		// Each once, in report order.
		[...new Set(incidentTypesOf(options.settings))].map((rule) => {
			const labels = {...run, rule};
			const series = {
				active: active.labels(labels),
				fired: fired.labels(labels),
				open: new Set<string>(),
			};
			series.active.set(0);
			series.fired.inc(0);
			return [rule, series];
		}),
	);

	const sinkLabels = ['sink'] as const;
	const sent = new Counter({
		name: `${prefix}notifications_total`,
		help: 'Incident events delivered to the alert sink.',
		labelNames: sinkLabels,
		registers,
	});
	const failed = new Counter({
		name: `${prefix}notifications_failed_total`,
		help: 'Incident events the alert sink lost: rejected, out of retries or dropped from a full queue.',
		labelNames: sinkLabels,
		registers,
	});
	for (const sink of options.sinks) {
		sent.labels({sink}).inc(0);
		failed.labels({sink}).inc(0);
	}

	predictedBreachGauge(options, registers, run);

	new Gauge({
		name: `${prefix}build_info`,
		help: 'Always 1: the version of serialwatch that runs.',
		labelNames: ['version'],
		registers,
	})
		.labels({version: options.version})
		.set(1);

	let lastLineAt = 0;
	const sawLineAt = (time: number) => {
		if (time > lastLineAt) {
			lastLineAt = time;
			lastLine.set(time / 1000);
		}
	};

	return {
		registry,
		onReadings(rows) {
			const last = rows.at(-1);
			if (last === undefined) {
				return;
			}

			lines.inc(rows.length);
			// An optional field absent from the last line keeps the value an earlier one gave.
			for (const {index, scale, gauge} of numbers) {
				const value = latestValue(rows, index);
				if (typeof value === 'number') {
					gauge.set(scale(value));
				}
			}

			deviceLevel?.(last.reading.level);
			for (const {field, index, set} of fieldLevels) {
				const value = latestValue(rows, index);
				if (typeof value === 'string') {
					set(statusTextLevel(field, value));
				}
			}

			sawLineAt(last.time);
		},
		onErrors(errors) {
			const last = errors.at(-1);
			if (last === undefined) {
				return;
			}

			lines.inc(errors.length);
			parseErrors.inc(errors.length);
			sawLineAt(last.time);
		},
		onEvents(events) {
			for (const {event, incident} of events) {
				const series = rules.get(incident.type);
				if (series === undefined) {
					continue;
				}

				// Counted by id: an event seen twice, or a resolution of an incident opened
				// before this run, leaves the gauge true.
				if (event === 'fired') {
					if (!series.open.has(incident.id)) {
						series.open.add(incident.id);
						series.fired.inc();
					}
				} else if (event === 'resolved') {
					series.open.delete(incident.id);
				}

				series.active.set(series.open.size);
			}
		},
		onStatus(status) {
			portUp.set(status.state === 'open' ? 1 : 0);
		},
		notifications: {
			sent(sink) {
				sent.labels({sink}).inc();
			},
			failed(sink) {
				failed.labels({sink}).inc();
			},
		},
	};
}

function latestValue(rows: readonly ReadingRow[], index: number) {
	for (let row = rows.length - 1; row >= 0; row--) {
		const value = rows[row]!.reading.values[index];
		if (value !== undefined) {
			return value;
		}
	}

	return undefined;
}

/**
 * Seconds until each predicted field's trend reaches its critical band, for the number
 * fields a predict rule watches; +Inf while no prediction holds ("not within the horizon"),
 * so `< 600` reads as "due within ten minutes" whatever the state. Counted at each scrape
 * from the crossing time, so it goes down between readings. Series are those of the rules
 * at the start, as the incident series are; a run without predict rules has none.
 */
function predictedBreachGauge(
	options: RunMetricsOptions,
	registers: Registry[],
	run: RunIdentity,
): void {
	const watched = predictedBreachFields(options.settings);
	if (watched.size === 0) {
		return;
	}

	const predictions = options.predictions ?? (() => []);
	const clock = options.clock ?? Date.now;
	const gauge = new Gauge({
		name: `${prefix}predicted_breach_seconds`,
		help: "Seconds until the field's trend reaches its critical band, while its predict rule's prediction holds; +Inf while none does.",
		labelNames: ['port', 'device', 'field'],
		registers,
		collect() {
			const now = clock();
			const held = new Map(
				predictions().map((prediction) => [prediction.field, prediction]),
			);
			for (const field of watched) {
				const prediction = held.get(field);
				gauge
					.labels({...run, field})
					.set(
						prediction === undefined
							? Number.POSITIVE_INFINITY
							: Math.max(0, (prediction.crossingAt - now) / 1000),
					);
			}
		},
	});
	for (const field of watched) {
		gauge.labels({...run, field}).set(Number.POSITIVE_INFINITY);
	}
}

/** A predict rule (the widened kind keeps the comparison valid whatever kinds RuleSpec lists). */

/** The number fields a predict rule watches: those predicted_breach_seconds has a series for. */
export function predictedBreachFields(settings: DetectorSettings): Set<string> {
	const {profile} = settings;
	return new Set(
		settings.rules.flatMap((rule) =>
			rule.kind === 'predict' &&
			profile.fields.some(
				(field) => field.name === rule.field && field.type === 'number',
			)
				? [rule.field]
				: [],
		),
	);
}
