import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import type {ReportEntry} from '../../source/core/incident.js';
import {
	writeReport,
	writeReportYielding,
} from '../../source/adapters/report-writer.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';

const entry = (index: number): ReportEntry => ({
	timestamp: new Date(index * 1000).toISOString(),
	type: 'THRESHOLD_BREACH_TEMP',
	severity: 'CRITICAL',
	description: `Temperature ${index}°C "quoted"\nexceeded`,
	id: `threshold_breach_temp-${index}`,
	end: null,
	value: index,
	peak: null,
	threshold: 80,
	readings: 1,
	first_line: index,
	last_line: null,
});

for (const count of [0, 1, 499, 500, 501, 1234]) {
	test(`writeReportYielding writes the same bytes as writeReport (${count} entries), turning the event loop between slices`, async (t) => {
		const dir = temporaryDirectory(t, 'report');
		const entries = Array.from({length: count}, (_, index) => entry(index));
		writeReport(join(dir, 'sync.json'), entries);
		let turns = 0;
		const counting = setInterval(() => {
			turns++;
		}, 0);
		const written = await writeReportYielding(
			join(dir, 'sliced.json'),
			entries,
		);
		clearInterval(counting);
		t.is(
			readFileSync(join(dir, 'sliced.json'), 'utf8'),
			readFileSync(join(dir, 'sync.json'), 'utf8'),
		);
		t.deepEqual(written, entries);
		t.true(count < 1000 || turns > 0);
	});
}
