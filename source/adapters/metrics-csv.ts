// structured_metrics.csv: one RFC 4180 row per valid reading (core/csv-record.ts quotes).
// The four reading columns come first; raw_line (the reading's raw.log line) is added after
// them, so a reader that takes the first four by position still works.
import {fstatSync, openSync} from 'node:fs';
import {csvField, csvRecord} from '../core/csv-record.js';
import type {Reading} from '../core/protocol.js';
import {createIsoTime} from '../core/iso-time.js';
import {createBufferedFile} from './buffered-file.js';
import {
	lineNumber,
	repairDerivedTail,
	type DerivedTail,
} from './derived-tail.js';
import type {DerivedFileOptions} from './derived-file-options.js';

export const metricsColumns = [
	'timestamp',
	'temperature',
	'voltage',
	'status',
	'raw_line',
] as const;

export type MetricsRow = {time: number; line: number; reading: Reading};

export type MetricsCsv = {
	/** How the file ended when opened; a run appends the readings after `lastLine`. */
	readonly tail: DerivedTail;
	append(rows: readonly MetricsRow[]): void;
	/** Hands the rows appended so far to the OS (a batched file holds them until it fills). */
	flush(): void;
	close(): void;
};

export function openMetricsCsv(
	path: string,
	{truncate = false, batched = false}: DerivedFileOptions = {},
): MetricsCsv {
	const fd = openSync(path, truncate ? 'w' : 'a+');
	const tail = truncate
		? {lastLine: 0, cutBytes: 0}
		: repairDerivedTail(fd, lastLineOfRow);
	const file = createBufferedFile(fd, path);
	const isoTime = createIsoTime();
	const written = () => {
		if (!batched) {
			file.flush();
		}
	};

	if (fstatSync(fd).size === 0) {
		file.write(csvRecord(metricsColumns));
		written();
	}

	return {
		tail,
		append(rows) {
			if (rows.length === 0) {
				return;
			}

			let text = '';
			for (const {time, line, reading} of rows) {
				// Only the status is text from the device; times and numbers never need quotes.
				text += `${isoTime(time)},${reading.temperature},${reading.voltage},${csvField(reading.status)},${line}\r\n`;
			}

			file.write(text);
			written();
		},
		flush: file.flush,
		close: file.close,
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
