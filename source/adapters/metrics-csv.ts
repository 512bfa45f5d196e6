// structured_metrics.csv: one RFC 4180 row per valid reading (csv-stringify does the quoting).
// The four reading columns come first; raw_line (the reading's raw.log line) is added after
// them, so a reader that takes the first four by position still works.
import {Buffer} from 'node:buffer';
import {closeSync, fstatSync, openSync} from 'node:fs';
import {stringify} from 'csv-stringify/sync';
import type {Reading} from '../core/protocol.js';
import {
	lineNumber,
	repairDerivedTail,
	type DerivedTail,
} from './derived-tail.js';
import {writeFully} from './raw-log.js';
import {writingTo} from './write-error.js';

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
	/** How the file ended when opened; a run appends the readings after `lastLine`. */
	readonly tail: DerivedTail;
	append(rows: readonly MetricsRow[]): void;
	close(): void;
};

/** `truncate` starts the file anew (replay rebuilds it); otherwise a run appends. */
export function openMetricsCsv(
	path: string,
	{truncate = false}: {truncate?: boolean} = {},
): MetricsCsv {
	const fd = openSync(path, truncate ? 'w' : 'a+');
	const tail = truncate
		? {lastLine: 0, cutBytes: 0}
		: repairDerivedTail(fd, lastLineOfRow);
	if (fstatSync(fd).size === 0) {
		writingTo(path, () => {
			writeFully(fd, Buffer.from(stringify([[...metricsColumns]], rfc4180)));
		});
	}

	return {
		tail,
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
			writingTo(path, () => {
				writeFully(fd, Buffer.from(stringify(records, rfc4180)));
			});
		},
		close() {
			closeSync(fd);
		},
	};
}

/** A row's raw_line (the header: 0, no reading yet); undefined for a row without one. */
function lastLineOfRow(record: string): number | undefined {
	// The header, with raw_line or without (an older file): no reading yet.
	if (record.startsWith(`${metricsColumns[0]},`)) {
		return 0;
	}

	const fields = record.split(',');
	return fields.length === metricsColumns.length
		? lineNumber(fields.at(-1))
		: undefined;
}
