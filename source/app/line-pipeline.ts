// The line pipeline: received lines -> parser -> files and detector. Live monitoring,
// the take-up of an earlier raw.log and replay all go through this one pipeline, which is
// what makes a replay reproduce a live run's report.
import type {Detector} from '../core/detector.js';
import type {IncidentEvent} from '../core/incident.js';
import {
	type Reading as ProfileReading,
	type Reading,
} from '../core/device-profile.js';
import {compileCodec, type Codec} from '../core/codec.js';
import {deviceProfile, type Config} from '../core/config.js';
import type {MetricsRow} from '../adapters/metrics-csv.js';
import type {ParserError} from '../adapters/parser-error-log.js';

/** What reads a line: the device profile's codec. */
export type LineParser = Pick<Codec, 'parse' | 'readInPlace'>;

/** Where a line's outcome goes, one at a time. */
export type LineSinks = {
	reading(time: number, line: number, reading: Reading): void;
	/** `bytes` is a view of the caller's buffer: copy what is kept past the call. */
	error(error: ParserError): void;
	events(events: readonly IncidentEvent[]): void;
};

/** Where a batch's outcome goes, as arrays: the form a live run's views and files take. */
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
	/**
	 * The line bytes[start..end), received at `time`, raw.log line `line`, without the views,
	 * arrays and row objects a batch takes (a replay comes here once per line).
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

/** A pipeline of lines received together, which hands on their outcome together. */
export type BatchPipeline = {
	readonly stats: Readonly<PipelineStats>;
	tick(now: number): void;
	/** Lines received together at `time`; `firstLine` is the raw.log line number of the first. */
	process(time: number, firstLine: number, lines: readonly Uint8Array[]): void;
};

export function createLinePipeline(
	parser: LineParser,
	detector: Detector,
	sinks: LineSinks,
): LinePipeline {
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
			const common = parser.readInPlace(bytes, start, end);
			if (common) {
				stats.valid++;
				sinks.reading(time, line, common);
				observed = detector.observeReading(time, line, common);
			} else {
				const lineBytes = bytes.subarray(start, end);
				const result = parser.parse(lineBytes);
				if (result.ok === true) {
					stats.valid++;
					sinks.reading(time, line, result.reading);
					observed = detector.observeReading(time, line, result.reading);
				} else if (result.ok === false) {
					stats.malformed++;
					sinks.error({time, line, bytes: lineBytes, reason: result.reason});
					observed = detector.observeError(time, line, result.reason);
				} else {
					observed = detector.observeIgnored(time, line);
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

/** The pipeline of a live run: each batch's rows, errors and events handed on together. */
export function createBatchPipeline(
	parser: LineParser,
	detector: Detector,
	sinks: PipelineSinks,
): BatchPipeline {
	let rows: MetricsRow[] = [];
	let errors: ParserError[] = [];
	let events: IncidentEvent[] = [];
	const pipeline = createLinePipeline(parser, detector, {
		reading(time, line, reading) {
			rows.push({time, line, reading: asProfileReading(reading)});
		},
		error(error) {
			errors.push(error);
		},
		events(observed) {
			for (const event of observed) {
				events.push(event);
			}
		},
	});
	return {
		stats: pipeline.stats,
		tick(now) {
			const events = detector.tick(now);
			if (events.length > 0) {
				sinks.events(events);
			}
		},
		process(time, firstLine, lines) {
			for (const [index, line] of lines.entries()) {
				pipeline.processLine(time, firstLine + index, line, 0, line.length);
			}

			const batch = {rows, errors, events};
			rows = [];
			errors = [];
			events = [];
			sinks.metrics.append(batch.rows);
			sinks.errors.append(batch.errors);
			if (batch.events.length > 0) {
				sinks.events(batch.events);
			}
		},
	};
}

/** The codec of the device config.yaml declares (the built-in device when it declares none). */
export function deviceCodec(config: Config): Codec {
	return compileCodec(deviceProfile(config), config.serial.max_line_bytes);
}
