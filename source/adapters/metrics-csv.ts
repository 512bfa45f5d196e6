// structured_metrics.csv: one RFC 4180 row per valid reading (csv-stringify does the quoting).
// The four reading columns come first; raw_line (the reading's raw.log line) is added after
// them, so a reader that takes the first four by position still works.
import {Buffer} from 'node:buffer';
import {closeSync, fstatSync, openSync} from 'node:fs';
import {stringify} from 'csv-stringify/sync';
import type {Reading} from '../core/protocol.js';
import {writeFully} from './raw-log.js';

export const metricsColumns = [
	'timestamp',
	'temperature',
	'voltage',
	'status',
	'raw_line',
] as const;

// RFC 4180 ends records with CRLF; csv-stringify's default is LF.
const rfc4180 = {record_delimiter: 'windows'} as const;

export type MetricsRow = {time: number; line: number; reading: Reading};

export type MetricsCsv = {
	append(rows: readonly MetricsRow[]): void;
	close(): void;
};

/** `truncate` starts the file anew (replay rebuilds it); otherwise a run appends. */
export function openMetricsCsv(
	path: string,
	{truncate = false}: {truncate?: boolean} = {},
): MetricsCsv {
	const fd = openSync(path, truncate ? 'w' : 'a');
	if (fstatSync(fd).size === 0) {
		writeFully(fd, Buffer.from(stringify([[...metricsColumns]], rfc4180)));
	}

	return {
		append(rows) {
			if (rows.length === 0) {
				return;
			}

			const records = rows.map(({time, line, reading}) => [
				new Date(time).toISOString(),
				reading.temperature,
				reading.voltage,
				reading.status,
				line,
			]);
			writeFully(fd, Buffer.from(stringify(records, rfc4180)));
		},
		close() {
			closeSync(fd);
		},
	};
}
