// anomaly_report.json, written atomically and durably: a temporary file in the same
// directory, fsync'd, renamed over the report (rename(2) is atomic), then the directory
// fsync'd so the rename itself survives a power loss. A reader (an incident tool polling the
// file) or a process killed at any instant sees the old report or the new one, whole.
import {Buffer} from 'node:buffer';
import process from 'node:process';
import {setImmediate as nextTurn} from 'node:timers/promises';
import {closeSync, fsync, renameSync, rmSync} from 'node:fs';
import {promisify} from 'node:util';
import {dirname} from 'node:path';
import {errorMessage} from '../core/error-message.js';
import type {ReportEntry} from '../core/incident.js';
import {
	countEntry,
	emptyReportSummary,
	type ReportSummary,
} from '../core/report-summary.js';
import {syncDirectoryAsync} from './durable-file.js';
import {openNoFollow} from './no-follow.js';
import {OutputError} from './output-error.js';
import {writeFully} from './raw-log.js';

const fsyncAsync = promisify(fsync);

// Entries serialized between two turns of the event loop: a few milliseconds' work.
const entriesPerSlice = 500;

/**
 * The report as JSON text (an array, two-space indented), handed to `write` a slice of
 * entries at a time with a turn of the event loop between slices, so that a signal is
 * heard while a report of millions of incidents is built (a second SIGTERM exits at
 * once). No entry is kept after its slice is written; resolves with what was written.
 */
export async function streamReport(
	entries: Iterable<ReportEntry>,
	write: (text: string) => void,
): Promise<ReportSummary> {
	const summary = emptyReportSummary();
	for (const slice of slices(entries)) {
		const text = slice
			.map((entry) => {
				countEntry(summary, entry);
				return `  ${JSON.stringify(entry, null, 2).replaceAll('\n', '\n  ')}`;
			})
			.join(',\n');
		write(`${summary.incidents === slice.length ? '[\n' : ',\n'}${text}`);
		// eslint-disable-next-line no-await-in-loop -- the turn is the point
		await nextTurn();
	}

	write(summary.incidents === 0 ? '[]\n' : '\n]\n');
	return summary;
}

/** The report streamed (streamReport) into a temporary file, then renamed over `path`. */
export async function writeReportYielding(
	path: string,
	entries: Iterable<ReportEntry>,
): Promise<ReportSummary> {
	const temporary = `${path}.${process.pid}.tmp`;
	let fd: number | undefined;
	// A second signal exits between two slices: the half-written file goes with the process.
	const removeTemporary = () => {
		rmSync(temporary, {force: true});
	};

	process.once('exit', removeTemporary);
	try {
		fd = openNoFollow(temporary, 'w');
		const file = fd;
		const summary = await streamReport(entries, (text) => {
			writeFully(file, Buffer.from(text));
		});
		// In the thread pool: an fsync of a report of hundreds of megabytes takes seconds,
		// which would stall the run (the port, raw.log, the detector) if done on this thread.
		await fsyncAsync(fd);
		closeSync(fd);
		fd = undefined;
		renameSync(temporary, path);
		await syncDirectoryAsync(dirname(path));
		return summary;
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
	save(entries: Iterable<ReportEntry>): Promise<ReportSummary>;
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
