// structured_metrics.csv: one RFC 4180 row per valid reading (core/csv-record.ts quotes).
// Not csv-stringify: a replay feeds nearly every line as its own batch, and its sync API
// called once per batch made a 1M-line replay take 1.3 s more CPU than the rows written here.
// The columns are `timestamp`, the device's fields in their declared order, then raw_line
// (the reading's raw.log line), so a reader that takes the reading columns by position
// still works. A file whose header is another device's is never appended to: it is set
// aside whole and a new file started (see openMetricsCsv).
import {closeSync, existsSync, fstatSync, readSync, renameSync} from 'node:fs';
import {basename, dirname, extname, join} from 'node:path';
import {Buffer} from 'node:buffer';
import {csvRecord, csvText} from '../core/csv-record.js';
import type {DeviceProfile, Reading} from '../core/device-profile.js';
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

/** The CSV's columns for a device: `timestamp`, its fields by name, `raw_line`. */
export function metricsColumns(profile: DeviceProfile): string[] {
	return [
		'timestamp',
		...profile.fields.map((field) => field.name),
		'raw_line',
	];
}

export type MetricsRow = {time: number; line: number; reading: Reading};

/** A file found at the CSV's path with another header, moved out of the way whole. */
export type SetAsideCsv = {
	/** Where it is now: `structured_metrics.<UTC time>.csv` beside the CSV. */
	path: string;
	/** Its first line, as found (control characters shown as `?`, cut at 120 characters). */
	header: string;
	/** What to tell the user, naming both files. */
	notice: string;
};

export type MetricsCsv = {
	/** How the file ended when opened; a run appends the readings after `lastLine`. */
	readonly tail: DerivedTail;
	/** The file that was at the path with another device's columns, if any. */
	readonly setAside: SetAsideCsv | undefined;
	append(rows: readonly MetricsRow[]): void;
	/** As append() of one row, without the row object and its array (a replay's every reading). */
	appendReading(time: number, line: number, reading: Reading): void;
	/** Hands the rows appended so far to the OS (a batched file holds them until it fills). */
	flush(): void;
	close(): void;
};

/**
 * Opens the CSV at `path` for `profile`'s readings. A file already there whose header is
 * not this profile's columns (with raw_line, or without it as files before raw_line were) is
 * never appended to nor truncated: it is renamed, untouched, to
 * `<name>.<UTC time>.csv` beside it, and a new file with this profile's header takes its
 * place; `setAside` says so. Rows of two devices never share a file, and no start is
 * refused for it (a refusal would stop every restart under systemd).
 */
export function openMetricsCsv(
	path: string,
	profile: DeviceProfile,
	{truncate = false, batched = false}: DerivedFileOptions = {},
): MetricsCsv {
	const columns = metricsColumns(profile);
	const header = csvRecord(columns);
	// Read before a truncating open: another device's rows are kept, not emptied.
	const existing = openNoFollow(path, 'a+');
	let found;
	try {
		found = firstLine(existing);
	} finally {
		closeSync(existing);
	}

	const setAside =
		found !== undefined && !isHeaderOf(found, columns)
			? setAsideFile(path, found, header.trimEnd())
			: undefined;
	const fd = openNoFollow(path, truncate ? 'w' : 'a+');
	const tail = truncate
		? {lastLine: 0, cutBytes: 0}
		: repairDerivedTail(fd, lastLineOfRow);
	const file = createBufferedFile(fd, path);
	const putTime = createIsoTimeBytes();
	const isoTime = createIsoTime();
	const written = () => {
		if (!batched) {
			file.flush();
		}
	};

	// All of a row but its text values: the time (27 bytes for a year past 9999), each value
	// and the line as a number at most, separators and CRLF.
	const fieldCount = profile.fields.length;
	const maxRowBytes = 27 + (fieldCount + 1) * (maxNumberBytes + 1) + 2;

	// Written straight into the file's buffer: a row's string and its encoding cost more than
	// the rest of a replay's CSV. False (nothing committed) for a text value that is not plain
	// ASCII without a quote, comma or line end, or that starts like a formula or with `'`: rowText writes
	// those.
	const putRow = (time: number, line: number, reading: Reading): boolean => {
		const {values} = reading;
		let most = maxRowBytes;
		for (let index = 0; index < fieldCount; index++) {
			const value = values[index];
			if (typeof value === 'string') {
				most += value.length;
			}
		}

		if (most > file.capacity) {
			return false;
		}

		const bytes = file.buffer;
		let at = putTime(bytes, file.reserve(most), time);
		for (let index = 0; index < fieldCount; index++) {
			bytes[at++] = comma;
			const value = values[index];
			if (typeof value === 'number') {
				at = putNumber(bytes, at, value);
			} else if (typeof value === 'string') {
				at = putPlainText(bytes, at, value);
				if (at < 0) {
					return false;
				}
			}
		}

		bytes[at++] = comma;
		at = putNumber(bytes, at, line);
		at = putAscii(bytes, at, '\r\n');
		file.commit(at);
		return true;
	};

	/** A row as text: the form for a row putRow does not write. */
	const rowText = (time: number, line: number, reading: Reading): string => {
		// Only text values come from the device as text; times and numbers never need quotes.
		let row = isoTime(time);
		for (let index = 0; index < fieldCount; index++) {
			const value = reading.values[index];
			row +=
				value === undefined
					? ','
					: typeof value === 'number'
						? `,${value}`
						: `,${csvText(value)}`;
		}

		return `${row},${line}\r\n`;
	};

	if (fstatSync(fd).size === 0) {
		file.write(header);
		written();
	}

	return {
		tail,
		setAside,
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
/** `= + - @`, tab, CR and `'`: the starts csvText guards (core/csv-record.ts). */
function isGuardedStart(unit: number): boolean {
	return (
		unit === 0x3d ||
		unit === 0x2b ||
		unit === 0x2d ||
		unit === 0x40 ||
		unit === 0x09 ||
		unit === 0x0d ||
		unit === 0x27
	);
}

/**
 * Text that needs neither quotes nor a formula guard, written as its bytes; -1 (the row is
 * abandoned uncommitted) for any other text.
 */
function putPlainText(bytes: Uint8Array, offset: number, text: string): number {
	if (text.length > 0 && isGuardedStart(text.codePointAt(0)!)) {
		return -1;
	}

	let at = offset;
	for (let index = 0; index < text.length; index++) {
		const unit = text.codePointAt(index)!;
		if (
			unit >= 0x80 ||
			unit === 0x22 ||
			unit === comma ||
			unit === 0x0a ||
			unit === 0x0d
		) {
			return -1;
		}

		bytes[at++] = unit;
	}

	return at;
}

/** A row's raw_line (the header: 0, no reading yet); undefined for a row without one. */
function lastLineOfRow(record: string): number | undefined {
	// The header, with raw_line or without (an older file): no reading yet.
	if (record.startsWith('timestamp,')) {
		return 0;
	}

	// raw_line is last and a number, never quoted: the text after the last comma. A row of a
	// file from before raw_line ends with its status, which is no number.
	return lineNumber(record.slice(record.lastIndexOf(',') + 1));
}

// Our headers are short; a first line longer than this is not one.
const headerReadBytes = 64 * 1024;

/**
 * The file's first line without its line end; undefined for an empty file or one whose
 * only text is the start of a header (a first write cut short: the repair cuts it). A
 * first line without an end that is not such a start is returned as it is.
 */
function firstLine(fd: number): string | undefined {
	const {size} = fstatSync(fd);
	if (size === 0) {
		return undefined;
	}

	const head = Buffer.alloc(Math.min(size, headerReadBytes));
	const read = readSync(fd, head, 0, head.length, 0);
	const text = head.toString('utf8', 0, read);
	const end = text.indexOf('\n');
	if (end !== -1) {
		return text.slice(0, end).replace(/\r$/, '');
	}

	// A header cut short before its end, of this device or another: no row to keep.
	const tornHeader =
		text.startsWith('timestamp,') || 'timestamp,'.startsWith(text);
	return read === size && tornHeader ? undefined : text;
}

function isHeaderOf(line: string, columns: readonly string[]): boolean {
	return line === columns.join(',') || line === columns.slice(0, -1).join(',');
}

function setAsideFile(
	path: string,
	found: string,
	header: string,
): SetAsideCsv {
	const aside = asidePath(path);
	renameSync(path, aside);
	const shown = showable(found);
	return {
		path: aside,
		header: shown,
		notice: `${path} holds other columns than this device's (${shown}, not ${header}): set aside whole as ${aside}; this device's rows go to a new ${path}`,
	};
}

/** `dir/structured_metrics.2025-01-31T120000.000Z.csv` for `dir/structured_metrics.csv`, not yet taken. */
function asidePath(path: string): string {
	const extension = extname(path);
	const stem = join(dirname(path), basename(path, extension));
	const stamp = new Date().toISOString().replaceAll(':', '');
	for (let attempt = 1; ; attempt++) {
		const candidate = `${stem}.${stamp}${attempt === 1 ? '' : `-${attempt}`}${extension}`;
		if (!existsSync(candidate)) {
			return candidate;
		}
	}
}

const maxShownChars = 120;

/** Text from a file as one safe line for the screen: no control or format characters. */
function showable(text: string): string {
	const line = text.replaceAll(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, '?');
	return line.length > maxShownChars
		? `${line.slice(0, maxShownChars)}…`
		: line;
}
