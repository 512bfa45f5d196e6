// anomaly_report.json, written atomically: a temporary file in the same directory, then
// rename(2), so a reader (an incident tool polling the file) never sees half a report.
import process from 'node:process';
import {renameSync, rmSync, writeFileSync} from 'node:fs';
import {errorMessage} from '../core/error-message.js';
import type {ReportEntry} from '../core/incident.js';
import {OutputError} from './output-error.js';

export function writeReport(
	path: string,
	entries: readonly ReportEntry[],
): void {
	const temporary = `${path}.${process.pid}.tmp`;
	try {
		writeFileSync(temporary, `${JSON.stringify(entries, null, 2)}\n`);
		renameSync(temporary, path);
	} catch (error) {
		rmSync(temporary, {force: true});
		throw new OutputError(
			`cannot write the report ${path}: ${errorMessage(error)}`,
		);
	}
}
