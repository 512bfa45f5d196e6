// anomaly_report.json, written atomically and durably: a temporary file in the same
// directory, fsync'd, renamed over the report (rename(2) is atomic), then the directory
// fsync'd so the rename itself survives a power loss. A reader (an incident tool polling the
// file) or a process killed at any instant sees the old report or the new one, whole.
import {Buffer} from 'node:buffer';
import process from 'node:process';
import {closeSync, fsyncSync, openSync, renameSync, rmSync} from 'node:fs';
import {dirname} from 'node:path';
import {errorMessage} from '../core/error-message.js';
import type {ReportEntry} from '../core/incident.js';
import {OutputError} from './output-error.js';
import {writeFully} from './raw-log.js';

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
