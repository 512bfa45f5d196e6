// anomaly_report.json, written atomically: a temporary file in the same directory, then
// rename(2), so a reader (an incident tool polling the file) never sees half a report.
import process from 'node:process';
import {renameSync, writeFileSync} from 'node:fs';
import type {ReportEntry} from '../core/incident.js';

export function writeReport(
	path: string,
	entries: readonly ReportEntry[],
): void {
	const temporary = `${path}.${process.pid}.tmp`;
	writeFileSync(temporary, `${JSON.stringify(entries, null, 2)}\n`);
	renameSync(temporary, path);
}
