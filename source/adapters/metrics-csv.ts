// structured_metrics.csv: one RFC 4180 row per valid reading (core/csv-record.ts quotes).
// Not csv-stringify: a replay feeds nearly every line as its own batch, and its sync API
// called once per batch made a 1M-line replay take 1.3 s more CPU than the rows written here.
// The four reading columns come first; raw_line (the reading's raw.log line) is added after
// them, so a reader that takes the first four by position still works.
import {fstatSync} from 'node:fs';
import {csvField, csvRecord} from '../core/csv-record.js';
import type {Reading} from '../core/protocol.js';
import {createIsoTime, createIsoTimeBytes} from '../core/iso-time.js';
import {maxNumberBytes, putAscii, putNumber} from '../core/ascii-bytes.js';
import {openNoFollow} from './no-follow.js';
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
	/** As append() of one row, without the row object and its array (a replay's every reading). */
	appendReading(time: number, line: number, reading: Reading): void;
	/** Hands the rows appended so far to the OS (a batched file holds them until it fills). */
	flush(): void;
	close(): void;
};

export function openMetricsCsv(
	path: string,
	{truncate = false, batched = false}: DerivedFileOptions = {},
): MetricsCsv {
	const fd = openNoFollow(path, truncate ? 'w' : 'a+');
	const tail = truncate
		? {lastLine: 0, cutBytes: 0}
		: repairDerivedTail(fd, lastLineOfRow);
	const file = createBufferedFile(fd, path);
	const putTime = createIsoTimeBytes();
	const written = () => {
		if (!batched) {
			file.flush();
		}
	};

	// Written straight into the file's buffer: a row's string and its encoding cost more than
	// the rest of a replay's CSV. False (nothing written) for a status that is not plain
	// ASCII without a quote, comma or line end, which rowText writes.
	const putRow = (time: number, line: number, reading: Reading): boolean => {
		const {status} = reading;
		const most = maxRowBytes + status.length;
		if (most > file.capacity) {
			return false;
		}

		const bytes = file.buffer;
		let at = putTime(bytes, file.reserve(most), time);
		bytes[at++] = comma;
		at = putNumber(bytes, at, reading.temperature);
		bytes[at++] = comma;
		at = putNumber(bytes, at, reading.voltage);
		bytes[at++] = comma;
		for (let index = 0; index < status.length; index++) {
			const unit = status.codePointAt(index)!;
			if (
				unit >= 0x80 ||
				unit === 0x22 ||
				unit === comma ||
				unit === 0x0a ||
				unit === 0x0d
			) {
				return false;
			}

			bytes[at++] = unit;
		}

		bytes[at++] = comma;
		at = putNumber(bytes, at, line);
		at = putAscii(bytes, at, '\r\n');
		file.commit(at);
		return true;
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

			for (const {time, line, reading} of rows) {
				if (!putRow(time, line, reading)) {
					file.write(rowText(time, line, reading));
				}
			}

			written();
		},
		appendReading(time, line, reading) {
			if (!putRow(time, line, reading)) {
				file.write(rowText(time, line, reading));
			}

			written();
		},
		flush: file.flush,
		close: file.close,
	};
}

const comma = 0x2c;
// All of a row but its status: the time (27 bytes for a year past 9999), two numbers, the
// line, separators and CRLF.
const maxRowBytes = 27 + 3 * maxNumberBytes + 6;
const isoTime = createIsoTime();

/** A row as text: the form for a status putRow does not write. */
function rowText(time: number, line: number, reading: Reading): string {
	// Only the status is text from the device; times and numbers never need quotes.
	return `${isoTime(time)},${reading.temperature},${reading.voltage},${csvField(reading.status)},${line}\r\n`;
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
