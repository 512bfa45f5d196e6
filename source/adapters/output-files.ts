// The monitor's files in output.dir, opened together and closed together.
import {mkdirSync} from 'node:fs';
import {join} from 'node:path';
import type {Config} from '../core/config.js';
import {openMetricsCsv, type MetricsCsv} from './metrics-csv.js';
import {openParserErrorLog, type ParserErrorLog} from './parser-error-log.js';
import {openRawLog, type RawLog} from './raw-log.js';

export type OutputPaths = {
	dir: string;
	raw: string;
	metrics: string;
	errors: string;
	report: string;
};

export function outputPaths(output: Config['output']): OutputPaths {
	return {
		dir: output.dir,
		raw: join(output.dir, output.raw_log),
		metrics: join(output.dir, output.metrics_csv),
		errors: join(output.dir, output.parser_errors_log),
		report: join(output.dir, output.report_json),
	};
}

export type DerivedFiles = {metrics: MetricsCsv; errors: ParserErrorLog};

/** The files derived from raw.log (replay writes only these). */
export function openDerivedFiles(
	paths: OutputPaths,
	options: {truncate?: boolean} = {},
): DerivedFiles & {close(): void} {
	mkdirSync(paths.dir, {recursive: true});
	const metrics = openMetricsCsv(paths.metrics, options);
	const errors = openParserErrorLog(paths.errors, options);
	return {
		metrics,
		errors,
		close() {
			metrics.close();
			errors.close();
		},
	};
}

export function openOutputFiles(
	paths: OutputPaths,
): DerivedFiles & {raw: RawLog; close(): void} {
	const derived = openDerivedFiles(paths);
	const raw = openRawLog(paths.raw);
	return {
		...derived,
		raw,
		close() {
			raw.close();
			derived.close();
		},
	};
}
