import {Buffer} from 'node:buffer';
import process from 'node:process';
import {
	lstatSync,
	readFileSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import type {ReportEntry} from '../../source/core/incident.js';
import {
	streamReport,
	writeReportYielding,
} from '../../source/adapters/report-writer.js';
import {replaceFileDurably} from '../../source/adapters/durable-file.js';
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
	test(`writeReportYielding writes the entries as one indented JSON array (${count} entries), turning the event loop between slices`, async (t) => {
		const dir = temporaryDirectory(t, 'report');
		const entries = Array.from({length: count}, (_, index) => entry(index));
		let turns = 0;
		const counting = setInterval(() => {
			turns++;
		}, 0);
		// A generator: nothing asks the writer to hold the entries whole.
		const summary = await writeReportYielding(
			join(dir, 'sliced.json'),
			(function* () {
				yield* entries;
			})(),
		);
		clearInterval(counting);
		t.is(
			readFileSync(join(dir, 'sliced.json'), 'utf8'),
			`${JSON.stringify(entries, null, 2)}\n`,
		);
		t.deepEqual(summary, {
			incidents: count,
			ongoing: count,
			byType: count === 0 ? {} : {THRESHOLD_BREACH_TEMP: count},
		});
		t.true(count < 1000 || turns > 0);
	});
}

test('streamReport counts ongoing entries and rules in the order they first appear', async (t) => {
	const chunks: string[] = [];
	const entries: ReportEntry[] = [
		{...entry(1), type: 'RAPID_CHANGE_TEMP', end: entry(2).timestamp},
		entry(2),
		{...entry(3), type: 'RAPID_CHANGE_TEMP'},
	];
	const summary = await streamReport(entries, (text) => {
		chunks.push(text);
	});
	t.is(chunks.join(''), `${JSON.stringify(entries, null, 2)}\n`);
	t.deepEqual(summary, {
		incidents: 3,
		ongoing: 2,
		byType: {RAPID_CHANGE_TEMP: 2, THRESHOLD_BREACH_TEMP: 1},
	});
	t.deepEqual(Object.keys(summary.byType), [
		'RAPID_CHANGE_TEMP',
		'THRESHOLD_BREACH_TEMP',
	]);
});

test('a link planted at the temporary file’s name is refused, its target never written; one at the report itself is replaced by the rename, its target untouched', async (t) => {
	const dir = temporaryDirectory(t, 'report-links');
	const path = join(dir, 'anomaly_report.json');
	const target = join(dir, 'elsewhere');
	writeFileSync(target, 'kept\n');
	symlinkSync(target, `${path}.${process.pid}.tmp`);
	await t.throwsAsync(writeReportYielding(path, []), {
		message: /is a symbolic link/,
	});
	t.is(readFileSync(target, 'utf8'), 'kept\n');
	symlinkSync(target, `${path}.${process.pid}.tmp`);
	t.throws(
		() => {
			replaceFileDurably(path, Buffer.from('[]\n'));
		},
		{message: /is a symbolic link/},
	);
	t.is(readFileSync(target, 'utf8'), 'kept\n');

	rmSync(`${path}.${process.pid}.tmp`, {force: true});
	symlinkSync(target, path);
	await writeReportYielding(path, []);
	t.is(readFileSync(target, 'utf8'), 'kept\n');
	t.true(lstatSync(path).isFile());
});
