// The line pipeline: received lines -> parser -> files and detector. Live monitoring and
// replay both go through it, which is what makes a replay reproduce a live run's report.
import type {Detector} from '../core/detector.js';
import type {IncidentEvent} from '../core/incident.js';
import {parseLine, type ProtocolLimits} from '../core/protocol.js';
import type {MetricsRow} from '../adapters/metrics-csv.js';
import type {ParserError} from '../adapters/parser-error-log.js';

export type PipelineSinks = {
	metrics: {append(rows: readonly MetricsRow[]): void};
	errors: {append(errors: readonly ParserError[]): void};
	events(events: readonly IncidentEvent[]): void;
};

export type PipelineStats = {
	lines: number;
	valid: number;
	malformed: number;
};

export type LinePipeline = {
	readonly stats: Readonly<PipelineStats>;
	/** Lines received together at `time`; `firstLine` is the raw.log line number of the first. */
	process(time: number, firstLine: number, lines: readonly Uint8Array[]): void;
	tick(now: number): void;
};

export function createLinePipeline(
	limits: ProtocolLimits,
	detector: Detector,
	sinks: PipelineSinks,
): LinePipeline {
	const stats: PipelineStats = {
		lines: 0,
		valid: 0,
		malformed: 0,
	};

	return {
		stats,
		process(time, firstLine, lines) {
			const rows: MetricsRow[] = [];
			const errors: ParserError[] = [];
			const events: IncidentEvent[] = [];
			// An indexed loop and no spread of empty event lists: a replay comes here once per
			// line, and their garbage was a fair share of its time.
			for (const [index, line_] of lines.entries()) {
				const bytes = line_;
				const line = firstLine + index;
				const result = parseLine(bytes, limits);
				let observed: readonly IncidentEvent[];
				if (result.ok) {
					rows.push({time, line, reading: result.reading});
					observed = detector.observeReading(time, line, result.reading);
				} else {
					errors.push({time, line, bytes, reason: result.reason});
					observed = detector.observeError(time, line, result.reason);
				}

				for (const event of observed) {
					events.push(event);
				}
			}

			stats.lines += lines.length;
			stats.valid += rows.length;
			stats.malformed += errors.length;
			sinks.metrics.append(rows);
			sinks.errors.append(errors);
			if (events.length > 0) {
				sinks.events(events);
			}
		},
		tick(now) {
			const events = detector.tick(now);
			if (events.length > 0) {
				sinks.events(events);
			}
		},
	};
}
