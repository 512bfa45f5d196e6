// The monitor's checkpoint: where in raw.log the detector's saved state stands, so that a
// start takes up only the lines after it instead of the whole history. It names the
// covered prefix of raw.log by its length, its line count and a fingerprint; the detector
// state (open incidents, drafts, timers); the incident journal's length at that point; and
// the last raw.log line the CSV and the error log held. Written atomically, so a crash
// leaves the previous checkpoint or this one. Its first line is a SHA-256 of the rest:
// a file cut, garbled or edited by hand is no checkpoint, since a detector state that
// only looks valid would give a report no replay gives.
import {Buffer} from 'node:buffer';
import {createHash} from 'node:crypto';
import {closeSync, fstatSync, openSync, readSync} from 'node:fs';
import type {DetectorState} from '../core/detector.js';
import {errorCode, errorMessage} from '../core/error-message.js';
import {isPlainObject} from '../core/plain-object.js';
import {replaceFileDurably} from './durable-file.js';
import {isLink, openNoFollow} from './no-follow.js';
import type {JournalMark} from './incident-journal.js';

export type RawLogPrefix = {
	/** Bytes of raw.log covered: always up to the end of a line. */
	bytes: number;
	lines: number;
	fingerprint: string;
};

export type Checkpoint = {
	version: typeof version;
	savedAt: string;
	rawLog: RawLogPrefix;
	/** The raw.log line of the last record of the CSV and of the error log (0: none). */
	derived: {metrics: number; errors: number};
	journal: JournalMark;
	/** Each journal file's fingerprint up to its mark, as raw.log's prefix is fingerprinted. */
	journalFingerprints: Record<string, string>;
	/**
	 * What made a line a line (the longest it can be): another limit would have cut the
	 * covered lines otherwise. The device they were read as is in the detector's settings.
	 */
	limits: {maxLineBytes: number};
	detector: DetectorState;
};

// 2: the detector's state holds the device profile and its rules (1 held thresholds).
const version = 2;
// The fingerprint reads this many blocks spread over the prefix, both ends included: an
// edit, a truncation or another file is seen without reading a history of gigabytes,
// which would make every start as slow as the history is long.
const sampledBlocks = 16;
const blockBytes = 65_536;

// Far above any checkpoint this program writes (the parse-error window, its largest part,
// holds at most 100,000 times: about 1.5 MB), and small enough to read into memory.
export const maxCheckpointBytes = 64 * 1024 * 1024;

export function writeCheckpoint(path: string, checkpoint: Checkpoint): void {
	const body = `${JSON.stringify(checkpoint)}\n`;
	replaceFileDurably(path, Buffer.from(`${digestOf(body)}\n${body}`));
}

function digestOf(body: string): string {
	return `sha256:${createHash('sha256').update(body).digest('hex')}`;
}

/** The file's text, read only if it is a regular file (not through a link) of a sane size. */
function readBounded(path: string): {text: string} | {problem: string} {
	let fd: number;
	try {
		fd = openNoFollow(path, 'r');
	} catch (error) {
		if (errorCode(error) === 'ENOENT') {
			return {problem: 'no checkpoint'};
		}

		return {
			problem: isLink(path)
				? `the checkpoint ${path} is a symbolic link (not followed; it is replaced)`
				: `cannot read the checkpoint ${path}: ${errorMessage(error)}`,
		};
	}

	try {
		const stats = fstatSync(fd);
		if (!stats.isFile()) {
			return {problem: `the checkpoint ${path} is not a regular file`};
		}

		if (stats.size > maxCheckpointBytes) {
			return {
				problem: `the checkpoint ${path} is ${stats.size} bytes, more than a checkpoint ever is (${maxCheckpointBytes})`,
			};
		}

		const bytes = Buffer.alloc(stats.size);
		let read = 0;
		while (read < bytes.length) {
			const got = readSync(fd, bytes, read, bytes.length - read, read);
			if (got === 0) {
				break;
			}

			read += got;
		}

		return {text: bytes.toString('utf8', 0, read)};
	} catch (error) {
		return {
			problem: `cannot read the checkpoint ${path}: ${errorMessage(error)}`,
		};
	} finally {
		closeSync(fd);
	}
}

/** The checkpoint at `path`, or why there is none to use. */
export function readCheckpoint(
	path: string,
): {checkpoint: Checkpoint} | {problem: string} {
	const file = readBounded(path);
	if ('problem' in file) {
		return file;
	}

	const newline = file.text.indexOf('\n');
	const body = file.text.slice(newline + 1);
	if (newline < 0 || file.text.slice(0, newline) !== digestOf(body)) {
		return {
			problem: `the checkpoint ${path} does not match its digest: it was cut, garbled or edited`,
		};
	}

	let value: unknown;
	try {
		value = JSON.parse(body);
	} catch {
		return {problem: `the checkpoint ${path} is not JSON`};
	}

	if (!isPlainObject(value) || value['version'] !== version) {
		return {problem: `the checkpoint ${path} is of another version`};
	}

	if (!isCheckpoint(value)) {
		return {problem: `the checkpoint ${path} lacks a part it needs`};
	}

	return {checkpoint: value};
}

// Written atomically by this program, so a file of the right version is whole; the parts
// read before the detector's state is restored are checked anyway, against a hand edit.
function isCheckpoint(value: Record<string, unknown>): value is Checkpoint {
	const {rawLog, derived, journal, detector} = value;
	return (
		isPlainObject(rawLog) &&
		Number.isSafeInteger(rawLog['bytes']) &&
		Number.isSafeInteger(rawLog['lines']) &&
		typeof rawLog['fingerprint'] === 'string' &&
		isPlainObject(derived) &&
		Number.isSafeInteger(derived['metrics']) &&
		Number.isSafeInteger(derived['errors']) &&
		isPlainObject(journal) &&
		isPlainObject(value['journalFingerprints']) &&
		isPlainObject(value['limits']) &&
		isPlainObject(detector) &&
		isPlainObject(detector['settings'])
	);
}

/**
 * A fingerprint of raw.log's first `bytes`: a SHA-256 of the length and of blocks at both
 * ends and spread between them (the whole prefix when it is small).
 */
export function fingerprintPrefix(path: string, bytes: number): string {
	const hash = createHash('sha256').update(`${bytes}\n`);
	const fd = openSync(path, 'r');
	try {
		if (fstatSync(fd).size < bytes) {
			return 'shorter';
		}

		const block = Buffer.alloc(blockBytes);
		const lastStart = Math.max(0, bytes - blockBytes);
		let previousEnd = 0;
		for (let index = 0; index < sampledBlocks; index++) {
			const start = Math.max(
				previousEnd,
				Math.floor((lastStart * index) / (sampledBlocks - 1)),
			);
			const length = Math.min(blockBytes, bytes - start);
			if (length <= 0) {
				break;
			}

			let read = 0;
			while (read < length) {
				const got = readSync(fd, block, read, length - read, start + read);
				if (got === 0) {
					return 'shorter';
				}

				read += got;
			}

			hash.update(block.subarray(0, length));
			previousEnd = start + length;
		}
	} finally {
		closeSync(fd);
	}

	return `sha256:${hash.digest('hex')}`;
}
