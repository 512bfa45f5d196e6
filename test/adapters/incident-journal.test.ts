import {Buffer} from 'node:buffer';
import {
	existsSync,
	readdirSync,
	readFileSync,
	truncateSync,
	writeFileSync,
} from 'node:fs';
import {join} from 'node:path';
import test, {type ExecutionContext} from 'ava';
import fc from 'fast-check';
import {defaultConfig, detectorSettings} from '../../source/core/config.js';
import {createClosedIncidentsInMemory} from '../../source/core/closed-incidents.js';
import {createDetector} from '../../source/core/detector.js';
import {
	incidentTypes,
	type IncidentType,
	type ReportEntry,
} from '../../source/core/incident.js';
import {parseLine} from '../../source/core/protocol.js';
import {
	JournalBehindMarkError,
	journalFilePath,
	openIncidentJournal,
	type IncidentJournal,
} from '../../source/adapters/incident-journal.js';
import {OutputError} from '../../source/adapters/output-error.js';
import {writeReportYielding} from '../../source/adapters/report-writer.js';
import {limits} from '../helpers/limits.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';

const t0 = Date.parse('2026-11-24T10:00:00.000Z');

function entry(
	type: IncidentType,
	seconds: number,
	description = `${type} at ${seconds}`,
): ReportEntry {
	const timestamp = new Date(t0 + seconds * 1000).toISOString();
	return {
		timestamp,
		type,
		severity: 'CRITICAL',
		description,
		id: `${type.toLowerCase()}-${seconds}`,
		end: new Date(t0 + (seconds + 1) * 1000).toISOString(),
		value: seconds,
		peak: seconds + 0.1,
		threshold: 80,
		readings: 2,
		first_line: seconds,
		last_line: seconds + 1,
	};
}

/** Entries of several rules, each rule's in start order, some starting at the same time. */
function interleaved(count: number): ReportEntry[] {
	return Array.from({length: count}, (_, index) =>
		entry(
			incidentTypes[(index * 7) % incidentTypes.length]!,
			Math.floor(index / 3),
			// Multi-byte text, so that chunk boundaries fall inside characters too.
			`Température ${index} °C ✓ ${'é'.repeat(index % 50)}`,
		),
	);
}

function inMemoryOrder(entries: readonly ReportEntry[]): ReportEntry[] {
	const memory = createClosedIncidentsInMemory();
	for (const item of entries) {
		memory.add(item);
	}

	return [...memory.entries()];
}

function opened(
	t: ExecutionContext,
	dir: string,
	options?: Parameters<typeof openIncidentJournal>[1],
): IncidentJournal {
	const journal = openIncidentJournal(dir, options);
	t.teardown(() => {
		journal.close();
	});
	return journal;
}

test('entries come back in report order, as the in-memory store gives them, across many chunks and flushes', (t) => {
	const journal = opened(t, temporaryDirectory(t, 'journal'));
	const entries = interleaved(5000);
	for (const item of entries) {
		journal.add(item);
	}

	t.is(journal.count, 5000);
	t.deepEqual([...journal.entries()], inMemoryOrder(entries));
	// Read again: reading does not consume.
	t.is([...journal.entries()].length, 5000);
});

test('one file per rule, one compact JSON entry a line; add() holds entries back until a batch is large', (t) => {
	const dir = temporaryDirectory(t, 'journal');
	const journal = opened(t, dir);
	journal.add(entry('RAPID_CHANGE_TEMP', 1));
	const path = journalFilePath(dir, 'RAPID_CHANGE_TEMP');
	t.is(path, join(dir, 'RAPID_CHANGE_TEMP.jsonl'));
	t.is(readFileSync(path, 'utf8'), '', 'buffered');
	journal.flush();
	t.is(
		readFileSync(path, 'utf8'),
		`${JSON.stringify(entry('RAPID_CHANGE_TEMP', 1))}\n`,
	);
	t.deepEqual(
		readdirSync(dir).toSorted(),
		incidentTypes.map((type) => `${type}.jsonl`).toSorted(),
	);
	for (let index = 2; index < 1000; index++) {
		journal.add(entry('RAPID_CHANGE_TEMP', index));
	}

	const size = readFileSync(path).length;
	t.true(size > 64 * 1024, 'a large batch reached the file without a flush');
});

test('opened without a mark, every file starts empty', (t) => {
	const dir = temporaryDirectory(t, 'journal');
	const first = openIncidentJournal(dir);
	first.add(entry('THRESHOLD_BREACH_TEMP', 1));
	first.close();
	const again = opened(t, dir);
	t.is(again.count, 0);
	t.deepEqual([...again.entries()], []);
	t.is(readFileSync(journalFilePath(dir, 'THRESHOLD_BREACH_TEMP'), 'utf8'), '');
});

test('reopened with a mark: each file is cut back to it, the count goes on from it, and adds append', (t) => {
	const dir = temporaryDirectory(t, 'journal');
	const first = openIncidentJournal(dir);
	const before = interleaved(300);
	for (const item of before) {
		first.add(item);
	}

	const mark = first.mark();
	t.is(
		Object.values(mark.entries).reduce((sum, count) => sum + count, 0),
		300,
	);
	t.is(
		mark.bytes.THRESHOLD_BREACH_TEMP,
		readFileSync(journalFilePath(dir, 'THRESHOLD_BREACH_TEMP')).length,
	);
	// JSON-safe: a checkpoint writes it as text and reads it back.
	t.deepEqual(JSON.parse(`${JSON.stringify(mark)}`), mark);
	const saved = structuredClone(mark);
	// Entries after the checkpoint: the reader of raw.log after it produces them again.
	first.add(entry('THRESHOLD_BREACH_TEMP', 1000));
	first.add(entry('HEARTBEAT_LOSS', 1000));
	first.close();

	const again = opened(t, dir, {keep: saved});
	t.is(again.count, 300);
	t.deepEqual([...again.entries()], inMemoryOrder(before));
	const after = entry('THRESHOLD_BREACH_TEMP', 2000);
	again.add(after);
	t.is(again.count, 301);
	t.deepEqual([...again.entries()], inMemoryOrder([...before, after]));
	t.deepEqual(again.mark().entries, {
		...saved.entries,
		THRESHOLD_BREACH_TEMP: saved.entries.THRESHOLD_BREACH_TEMP + 1,
	});
});

test('a file shorter than its mark: the journal is not the one marked, and opening it throws naming the file', (t) => {
	const dir = temporaryDirectory(t, 'journal');
	const first = openIncidentJournal(dir);
	first.add(entry('DEVICE_STATUS', 1));
	first.add(entry('DEVICE_STATUS', 2));
	const mark = first.mark();
	first.close();
	const path = journalFilePath(dir, 'DEVICE_STATUS');
	truncateSync(path, mark.bytes.DEVICE_STATUS - 1);
	const error = t.throws(() => openIncidentJournal(dir, {keep: mark}), {
		instanceOf: JournalBehindMarkError,
	});
	t.true(error instanceof OutputError);
	t.true(error.message.includes(path));
	// A file that is gone is shorter than its mark too.
	writeFileSync(path, readFileSync(path));
	const missing = temporaryDirectory(t, 'journal-missing');
	t.throws(() => openIncidentJournal(missing, {keep: mark}), {
		instanceOf: JournalBehindMarkError,
	});
});

test('entries() is bounded at its call: entries added while it is read do not appear', (t) => {
	const journal = opened(t, temporaryDirectory(t, 'journal'));
	const before = interleaved(2000);
	for (const item of before) {
		journal.add(item);
	}

	const reading = journal.entries()[Symbol.iterator]();
	const first = reading.next();
	const seen = first.done ? [] : [first.value];
	// Enough later entries, of every rule, to be flushed to the files meanwhile.
	for (let index = 0; index < 3000; index++) {
		journal.add(
			entry(incidentTypes[index % incidentTypes.length]!, 100_000 + index),
		);
	}

	for (let next = reading.next(); !next.done; next = reading.next()) {
		seen.push(next.value);
	}

	t.deepEqual(seen, inMemoryOrder(before));
	t.is(journal.count, 5000);
	t.is([...journal.entries()].length, 5000);
});

test('a file cut behind its back: reading its entries throws an OutputError naming it', (t) => {
	const dir = temporaryDirectory(t, 'journal');
	const journal = opened(t, dir);
	journal.add(entry('STATUS_MISMATCH', 1));
	journal.add(entry('STATUS_MISMATCH', 2));
	journal.flush();
	const path = journalFilePath(dir, 'STATUS_MISMATCH');
	truncateSync(path, readFileSync(path).length - 5);
	const error = t.throws(() => [...journal.entries()], {
		instanceOf: OutputError,
	});
	t.true(error.message.includes(path));
});

test('remove() deletes the files and the directory, but not a directory with other files in it', (t) => {
	const parent = temporaryDirectory(t, 'journal');
	const dir = join(parent, '.journal');
	const journal = openIncidentJournal(dir);
	journal.add(entry('PARSE_ERROR_RATE', 1));
	journal.remove();
	t.false(existsSync(dir));

	const shared = openIncidentJournal(parent);
	writeFileSync(join(parent, 'other'), Buffer.from('mine'));
	shared.remove();
	t.deepEqual(readdirSync(parent), ['other']);
});

// Device lines, a time step and a silence now and then: every rule gets its turn.
const deviceLine = fc.oneof(
	fc
		.record({
			temperature: fc.integer({min: 10, max: 110}),
			voltage: fc.constantFrom(3.5, 5, 5.2, 6.5),
			status: fc.constantFrom('NORMAL', 'WARNING_TEMP', 'CRITICAL_TEMP'),
		})
		.map(
			({temperature, voltage, status}) =>
				`T:${temperature},V:${voltage},S:${status}`,
		),
	fc.constant('garbage'),
);

test('a detector on a journal writes the very bytes of the report the in-memory detector gives', async (t) => {
	const parent = temporaryDirectory(t, 'journal-report');
	let run = 0;
	let closedSeen = 0;
	await fc.assert(
		fc.asyncProperty(
			fc.array(
				fc.tuple(deviceLine, fc.constantFrom(100, 100, 100, 1000, 7000)),
				{maxLength: 400},
			),
			async (lines) => {
				run++;
				const journal = openIncidentJournal(join(parent, `journal-${run}`));
				try {
					const settings = detectorSettings(defaultConfig);
					const onDisk = createDetector(settings, {closed: journal});
					const inMemory = createDetector(settings);
					let time = t0;
					for (const [index, [text, gapMs]] of lines.entries()) {
						time += gapMs;
						const result = parseLine(Buffer.from(text), limits);
						const input = result.ok
							? {time, line: index + 1, reading: result.reading}
							: {time, line: index + 1, error: result.reason};
						onDisk.observe(input);
						inMemory.observe(input);
					}

					closedSeen += journal.count;
					const path = join(parent, `report-${run}.json`);
					const summary = await writeReportYielding(
						path,
						onDisk.reportEntries(time + 3000),
					);
					const expected = inMemory.report(time + 3000);
					t.is(summary.incidents, expected.length);
					return (
						readFileSync(path, 'utf8') ===
						`${JSON.stringify(expected, null, 2)}\n`
					);
				} finally {
					journal.remove();
				}
			},
		),
		{numRuns: 60},
	);
	t.true(closedSeen > 0, 'resolved incidents went through the journal');
});
