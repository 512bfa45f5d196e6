// Closed incidents on disk instead of in memory: a flapping input opens more than one
// incident a line, and a month of it would not fit. One append-only file per rule, one
// compact JSON entry a line; a rule's entries arrive in start order, so each file is
// already sorted and the report is a merge of the files, read back a chunk at a time.
import {Buffer} from 'node:buffer';
import {
	closeSync,
	fstatSync,
	fsyncSync,
	ftruncateSync,
	mkdirSync,
	readSync,
	rmdirSync,
	rmSync,
} from 'node:fs';
import {join} from 'node:path';
import {
	mergeInReportOrder,
	type ClosedIncidents,
} from '../core/closed-incidents.js';
import {errorCode, errorMessage} from '../core/error-message.js';
import {
	builtinReportOrder,
	incidentTypes,
	type IncidentType,
	type ReportEntry,
	type ReportOrder,
} from '../core/incident.js';
import {openNoFollow, refuseLink} from './no-follow.js';
import {OutputError} from './output-error.js';
import {writeFully} from './raw-log.js';
import {writingTo} from './write-error.js';

/** How far the journal went: what a checkpoint records, and what a reopening keeps. */
export type JournalMark = {
	bytes: Record<IncidentType, number>;
	entries: Record<IncidentType, number>;
};

export type IncidentJournal = ClosedIncidents & {
	/** Flushes, then tells how far each file goes. */
	mark(): JournalMark;
	/** Hands the buffered entries to the OS. */
	flush(): void;
	/** Flushes and closes the files (closed even when the flush fails). */
	close(): void;
	/** Closes, then deletes the files, and the directory if nothing else is in it. */
	remove(): void;
};

/** A file holds less than its mark says: it is not the journal the mark was taken of. */
export class JournalBehindMarkError extends OutputError {
	override name = 'JournalBehindMarkError';
}

// Entries wait in memory until this much text is pending: a write to the OS per batch.
const flushChars = 64 * 1024;
// Bytes read from a file at a time when the entries are read back.
const readChunkBytes = 64 * 1024;

export function journalFilePath(dir: string, type: IncidentType): string {
	return join(dir, `${type}.jsonl`);
}

/**
 * Opens (creating) the journal in `dir`. Without `keep` every file starts empty (what was
 * there, a link included, is removed first); with it, each is cut back to its mark (what
 * was added after it is added again by whoever reads on from the checkpoint), and throws
 * a JournalBehindMarkError if one is shorter. A link in place of the directory or of a
 * file is never followed: a LinkRefusedError.
 */
export function openIncidentJournal(
	dir: string,
	{
		keep,
		types = incidentTypes,
	}: {
		keep?: JournalMark;
		/** The incident types the rules in effect fire (a file each); another gets its file when it comes. */
		types?: readonly IncidentType[];
	} = {},
): IncidentJournal {
	refuseLink(dir);
	writingTo(dir, () => mkdirSync(dir, {recursive: true}));
	const files: RuleFile[] = [];
	// The files the mark counts on too: an earlier run's rules may have been others.
	const allTypes = new Set([...types, ...Object.keys(keep?.bytes ?? {})]);
	try {
		for (const type of allTypes) {
			files.push(openRuleFile(journalFilePath(dir, type), type, keep));
		}
	} catch (error) {
		for (const file of files) {
			closeSync(file.fd);
		}

		throw error;
	}

	const byType = new Map(files.map((file) => [file.type, file]));
	let pendingChars = 0;
	let closed = false;

	const flush = () => {
		pendingChars = 0;
		for (const file of files) {
			if (file.pending.length > 0) {
				const data = Buffer.from(file.pending.join(''));
				file.pending = [];
				writingTo(file.path, () => {
					writeFully(file.fd, data);
				});
				file.bytes += data.length;
				file.unsynced = true;
			}
		}
	};

	const close = () => {
		if (closed) {
			return;
		}

		closed = true;
		try {
			flush();
		} finally {
			for (const file of files) {
				closeSync(file.fd);
			}
		}
	};

	return {
		get count() {
			let count = 0;
			for (const file of files) {
				count += file.entries;
			}

			return count;
		},
		add(entry) {
			let file = byType.get(entry.type);
			if (file === undefined) {
				// A rule added by a retune: its file starts now.
				file = openRuleFile(
					journalFilePath(dir, entry.type),
					entry.type,
					undefined,
				);
				files.push(file);
				byType.set(entry.type, file);
			}

			const line = `${JSON.stringify(entry)}\n`;
			file.pending.push(line);
			file.entries++;
			pendingChars += line.length;
			if (pendingChars >= flushChars) {
				flush();
			}
		},
		entries(
			compare: ReportOrder['compareEntries'] = builtinReportOrder.compareEntries,
		) {
			flush();
			// Entries added from now on were open at this call: the caller lists them as open.
			return mergeInReportOrder(
				files.map((file) =>
					readEntries(file, file.bytes, () => {
						if (closed) {
							throw new OutputError(
								`cannot read ${file.path}: the incident journal was closed while its entries were read`,
							);
						}
					}),
				),
				compare,
			);
		},
		mark() {
			flush();
			// A checkpoint is fsync'd: what it counts on must be on the disk before it.
			for (const file of files) {
				if (file.unsynced) {
					writingTo(file.path, () => {
						fsyncSync(file.fd);
					});
					file.unsynced = false;
				}
			}

			return {
				bytes: Object.fromEntries(files.map((file) => [file.type, file.bytes])),
				entries: Object.fromEntries(
					files.map((file) => [file.type, file.entries]),
				),
			};
		},
		flush,
		close,
		remove() {
			// The files go even when the last flush fails: nobody would read them.
			let failure: Error | undefined;
			try {
				close();
			} catch (error) {
				failure = error instanceof Error ? error : new Error(String(error));
			}

			for (const file of files) {
				rmSync(file.path, {force: true});
			}

			try {
				rmdirSync(dir);
			} catch (error) {
				// Another file of the caller's own in the directory keeps it.
				if (errorCode(error) !== 'ENOTEMPTY' && errorCode(error) !== 'ENOENT') {
					throw error;
				}
			}

			if (failure) {
				throw failure;
			}
		},
	};
}

type RuleFile = {
	type: IncidentType;
	path: string;
	/** Opened for append and reading: writes go to the end, reads give their position. */
	fd: number;
	/** Bytes in the file (handed to the OS). */
	bytes: number;
	/** Entries of this rule, the pending ones included. */
	entries: number;
	pending: string[];
	/** Written since the last fsync. */
	unsynced: boolean;
};

function openRuleFile(
	path: string,
	type: IncidentType,
	keep: JournalMark | undefined,
): RuleFile {
	if (!keep) {
		writingTo(path, () => {
			rmSync(path, {force: true});
		});
	}

	const fd = writingTo(path, () => openNoFollow(path, 'a+'));
	try {
		const bytes = keep?.bytes[type] ?? 0;
		const {size} = fstatSync(fd);
		if (size < bytes) {
			throw new JournalBehindMarkError(
				`${path} holds ${size} bytes, fewer than the ${bytes} of its mark`,
			);
		}

		writingTo(path, () => {
			ftruncateSync(fd, bytes);
		});
		return {
			type,
			path,
			fd,
			bytes,
			entries: keep?.entries[type] ?? 0,
			pending: [],
			unsynced: false,
		};
	} catch (error) {
		closeSync(fd);
		throw error;
	}
}

/** A file's entries up to `end`, read a chunk at a time. */
function* readEntries(
	file: RuleFile,
	end: number,
	checkOpen: () => void,
): Generator<ReportEntry> {
	const chunk = Buffer.allocUnsafe(readChunkBytes);
	// Bytes of a line cut by the end of a chunk; a line longer than a chunk grows it.
	let carry: Uint8Array = Buffer.alloc(0);
	let position = 0;
	while (position < end) {
		checkOpen();
		let read: number;
		try {
			read = readSync(
				file.fd,
				chunk,
				0,
				Math.min(chunk.length, end - position),
				position,
			);
		} catch (error) {
			throw new OutputError(`cannot read ${file.path}: ${errorMessage(error)}`);
		}

		if (read === 0) {
			throw new OutputError(
				`cannot read ${file.path}: it ends at ${position} bytes, before the ${end} written`,
			);
		}

		position += read;
		const bytes =
			carry.length > 0
				? Buffer.concat([carry, chunk.subarray(0, read)])
				: chunk.subarray(0, read);
		const lastNewline = bytes.lastIndexOf(0x0a);
		// Copied: the chunk is read into again.
		carry = Buffer.from(bytes.subarray(lastNewline + 1));
		if (lastNewline < 0) {
			continue;
		}

		const lines = bytes.toString('utf8', 0, lastNewline).split('\n');
		for (const line of lines) {
			yield parseEntry(file.path, line);
		}
	}

	if (carry.length > 0) {
		throw new OutputError(`cannot read ${file.path}: its last entry is cut`);
	}
}

function parseEntry(path: string, line: string): ReportEntry {
	try {
		// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- the file holds only what add() wrote, and checking each of millions of entries would cost more than the rest of the read
		return JSON.parse(line) as ReportEntry;
	} catch (error) {
		throw new OutputError(`cannot read ${path}: ${errorMessage(error)}`);
	}
}
