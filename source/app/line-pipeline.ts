// The line pipeline: received lines -> parser -> files and detector. Live monitoring and
// replay both go through it, which is what makes a replay reproduce a live run's report.
import type {Detector} from '../core/detector.js';
import type {IncidentEvent} from '../core/incident.js';
import type {Reading} from '../core/device-profile.js';
import {
	parseLine,
	readCommonLine,
	type ProtocolLimits,
	type Reading as BuiltinReading,
} from '../core/protocol.js';
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
					rows.push({time, line, reading: asReading(result.reading)});
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

/** Sinks that take a reading at a time, without a row object and an array for it. */
export type LineByLineSinks = {
	metrics: {appendReading(time: number, line: number, reading: Reading): void};
	errors: PipelineSinks['errors'];
	events: PipelineSinks['events'];
};

/** The pipeline of a raw.log read back: process() of one line, given by its place in a read. */
export type LineByLinePipeline = {
	readonly stats: Readonly<PipelineStats>;
	/**
	 * The line bytes[start..end), received at `time`, raw.log line `line`: what process()
	 * does for it, without the views, arrays and row objects a batch takes, which were a
	 * fair share of a replay's time. The bytes are not kept.
	 */

	processLine(
		time: number,
		line: number,
		bytes: Uint8Array,
		start: number,
		end: number,
	): void;
	tick(now: number): void;
};

export function createLineByLinePipeline(
	limits: ProtocolLimits,
	detector: Detector,
	sinks: LineByLineSinks,
): LineByLinePipeline {
	const stats: PipelineStats = {
		lines: 0,
		valid: 0,
		malformed: 0,
	};

	return {
		stats,
		// eslint-disable-next-line max-params -- numbers, not an object: one per line was the cost
		processLine(time, line, bytes, start, end) {
			stats.lines++;
			let observed: readonly IncidentEvent[];
			const common = readCommonLine(bytes, start, end, limits);
			if (common) {
				stats.valid++;
				sinks.metrics.appendReading(time, line, asReading(common));
				observed = detector.observeReading(time, line, common);
			} else {
				const lineBytes = bytes.subarray(start, end);
				const result = parseLine(lineBytes, limits);
				if (result.ok) {
					stats.valid++;
					sinks.metrics.appendReading(time, line, asReading(result.reading));
					observed = detector.observeReading(time, line, result.reading);
				} else {
					stats.malformed++;
					sinks.errors.append([
						{time, line, bytes: lineBytes, reason: result.reason},
					]);
					observed = detector.observeError(time, line, result.reason);
				}
			}

			if (observed.length > 0) {
				sinks.events(observed);
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

/** The built-in parser's reading as the profile's values (temperature, voltage, status). */
function asReading(reading: BuiltinReading): Reading {
	return {
		values: [reading.temperature, reading.voltage, reading.status],
		level: reading.level,
	};
}
