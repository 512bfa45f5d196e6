// anomaly_report.json, written atomically and durably: a temporary file in the same
// directory, fsync'd, renamed over the report (rename(2) is atomic), then the directory
// fsync'd so the rename itself survives a power loss. A reader (an incident tool polling the
// file) or a process killed at any instant sees the old report or the new one, whole.
import {Buffer} from 'node:buffer';
import process from 'node:process';
import {setImmediate as nextTurn} from 'node:timers/promises';
import {closeSync, fsyncSync, openSync, renameSync, rmSync} from 'node:fs';
import {dirname} from 'node:path';
import {errorMessage} from '../core/error-message.js';
import type {ReportEntry} from '../core/incident.js';
import {OutputError} from './output-error.js';
import {writeFully} from './raw-log.js';

// Entries serialized between two turns of the event loop: a few milliseconds' work.
const entriesPerSlice = 500;

export function writeReport(
	path: string,
	entries: readonly ReportEntry[],
): void {
	const temporary = `${path}.${process.pid}.tmp`;
	try {
		writeDurably(temporary, `${JSON.stringify(entries, null, 2)}\n`);
		renameSync(temporary, path);
		syncDirectory(dirname(path));
	} catch (error) {
		rmSync(temporary, {force: true});
		throw new OutputError(
			`cannot write the report ${path}: ${errorMessage(error)}`,
		);
	}
}

/**
 * As writeReport, but a slice of entries at a time with a turn of the event loop between
 * slices, so that a signal is heard while a report of a hundred thousand incidents is
 * built and written (a second SIGTERM exits at once). The same bytes as writeReport;
 * resolves with the entries written.
 */
export async function writeReportYielding(
	path: string,
	entries: Iterable<ReportEntry>,
): Promise<ReportEntry[]> {
	const temporary = `${path}.${process.pid}.tmp`;
	const written: ReportEntry[] = [];
	let fd: number | undefined;
	// A second signal exits between two slices: the half-written file goes with the process.
	const removeTemporary = () => {
		rmSync(temporary, {force: true});
	};

	process.once('exit', removeTemporary);
	try {
		fd = openSync(temporary, 'w');
		for (const slice of slices(entries)) {
			const text = slice
				.map(
					(entry) =>
						`  ${JSON.stringify(entry, null, 2).replaceAll('\n', '\n  ')}`,
				)
				.join(',\n');
			writeFully(
				fd,
				Buffer.from(`${written.length === 0 ? '[\n' : ',\n'}${text}`),
			);
			written.push(...slice);
			// eslint-disable-next-line no-await-in-loop -- the turn is the point
			await nextTurn();
		}

		writeFully(fd, Buffer.from(written.length === 0 ? '[]\n' : '\n]\n'));
		fsyncSync(fd);
		closeSync(fd);
		fd = undefined;
		renameSync(temporary, path);
		syncDirectory(dirname(path));
		return written;
	} catch (error) {
		if (fd !== undefined) {
			closeSync(fd);
		}

		rmSync(temporary, {force: true});
		throw new OutputError(
			`cannot write the report ${path}: ${errorMessage(error)}`,
		);
	} finally {
		process.off('exit', removeTemporary);
	}
}

/** A run's report: its writes go one at a time, since they share a temporary file. */
export function openReportFile(path: string): {
	save(entries: Iterable<ReportEntry>): Promise<ReportEntry[]>;
} {
	let writes: Promise<unknown> = Promise.resolve();
	return {
		async save(entries) {
			const write = writes.then(async () => writeReportYielding(path, entries));
			writes = write.catch(() => undefined);
			return write;
		},
	};
}

/** Entries in slices of a few milliseconds' work each. */
export function* slices<T>(items: Iterable<T>): Generator<T[]> {
	let slice: T[] = [];
	for (const item of items) {
		slice.push(item);
		if (slice.length === entriesPerSlice) {
			yield slice;
			slice = [];
		}
	}

	if (slice.length > 0) {
		yield slice;
	}
}

function writeDurably(path: string, text: string): void {
	const fd = openSync(path, 'w');
	try {
		writeFully(fd, Buffer.from(text));
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}

function syncDirectory(path: string): void {
	const fd = openSync(path, 'r');
	try {
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}
