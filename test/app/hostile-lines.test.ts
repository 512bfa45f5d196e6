import {Buffer} from 'node:buffer';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {parse} from 'csv-parse/sync';
import {
	defaultConfig,
	protocolLimits,
	detectorSettings,
} from '../../source/core/config.js';
import {createDetector} from '../../source/core/detector.js';
import type {IncidentEvent} from '../../source/core/incident.js';
import {createLineSplitter} from '../../source/core/line-splitter.js';
import {escapeBytes} from '../../source/core/protocol.js';
import {openMetricsCsv} from '../../source/adapters/metrics-csv.js';
import {openParserErrorLog} from '../../source/adapters/parser-error-log.js';
import {
	createBatchPipeline,
	deviceCodec,
} from '../../source/app/line-pipeline.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {builtin} from '../helpers/builtin-reading.js';

const time = Date.parse('2026-11-24T10:00:00.000Z');

/** Chunks through the real splitter and pipeline into real files; what came out. */
function receive(dir: string, chunks: readonly Uint8Array[]) {
	const metrics = openMetricsCsv(join(dir, 'metrics.csv'), builtin);
	const errors = openParserErrorLog(join(dir, 'errors.log'));
	const events: IncidentEvent[] = [];
	const pipeline = createBatchPipeline(
		deviceCodec(defaultConfig),
		createDetector(detectorSettings(defaultConfig)),
		{
			metrics,
			errors,
			events(more) {
				events.push(...more);
			},
		},
	);
	const splitter = createLineSplitter(defaultConfig.serial.max_line_bytes);
	let line = 1;
	for (const [index, chunk] of chunks.entries()) {
		const lines = splitter.push(chunk);
		pipeline.process(time + index, line, lines);
		line += lines.length;
	}

	metrics.close();
	errors.close();
	const csv = parse<Record<string, string>>(
		readFileSync(join(dir, 'metrics.csv')),
		{columns: true},
	);
	const errorLog = readFileSync(join(dir, 'errors.log'), 'utf8')
		.split('\n')
		.filter((entry) => entry !== '')
		.map((entry) => {
			const [, reason, bytes] = entry.split('\t');
			return {reason, bytes};
		});
	return {csv, errorLog, events, stats: pipeline.stats};
}

// Each would be a temperature breach (max_c 80) if misread as a number.
const trickyNumbers: Array<[string, Uint8Array[], string]> = [
	['T: empty', [Buffer.from('T:,V:5,S:NORMAL\n')], "T is not a number: ''"],
	[
		'T:0x10',
		[Buffer.from('T:0x99,V:5,S:NORMAL\n')],
		"T is not a number: '0x99'",
	],
	[
		'T:1e999',
		[Buffer.from('T:1e999,V:5,S:NORMAL\n')],
		"T is not finite: '1e999'",
	],
	['T:85,5', [Buffer.from('T:85,5,V:5,S:NORMAL\n')], "field without ':': '5'"],
	['T:1,T:2', [Buffer.from('T:85,T:86,V:5,S:NORMAL\n')], 'duplicate T'],
	[
		'NUL',
		[Buffer.from('T:85\u0000,V:5,S:NORMAL\n')],
		String.raw`T is not a number: '85\x00'`,
	],
	[
		'BOM',
		[Buffer.from('\uFEFFT:85,V:5,S:NORMAL\n')],
		String.raw`unknown key '\xef\xbb\xbfT'`,
	],
	[
		'a multi-byte character split across reads',
		[
			Buffer.from([...Buffer.from('T:85'), 0xc2]),
			Buffer.from([0xb0, ...Buffer.from(',V:5,S:NORMAL\n')]),
		],
		"T is not a number: '85°'",
	],
];

for (const [what, chunks, reason] of trickyNumbers) {
	test(`tricky number, ${what}: rejected with its reason, no breach`, (t) => {
		const {csv, errorLog, events, stats} = receive(
			temporaryDirectory(t, 'tricky'),
			chunks,
		);
		t.deepEqual(
			errorLog.map((entry) => entry.reason),
			[reason],
		);
		t.is(
			errorLog[0]?.bytes,
			escapeBytes(Buffer.concat(chunks).subarray(0, -1)),
		);
		t.deepEqual(csv, []);
		t.is(stats.valid, 0);
		t.deepEqual(events, []);
	});
}

test('CRLF and a lone CR end a line like LF: a CR inside a reading cuts it in two malformed lines', (t) => {
	const {csv, errorLog} = receive(temporaryDirectory(t, 'tricky'), [
		Buffer.from(
			'T:25,V:5,S:NORMAL\r\nT:26\r,V:5,S:NORMAL\nT:27,V:5,S:NORMAL\r',
		),
	]);
	t.deepEqual(
		csv.map((row) => [row['temperature'], row['raw_line']]),
		[
			['25', '1'],
			['27', '4'],
		],
	);
	t.deepEqual(
		errorLog.map((entry) => entry.bytes),
		['T:26', ',V:5,S:NORMAL'],
	);
});

test('CSV formula injection is impossible: no cell written from device text starts with = + - @ tab or CR', (t) => {
	const starts = ['=', '+', '-', '@', '\t', '\r'];
	const payloads = starts.flatMap((start) => [
		`T:25,V:5,S:${start}HYPERLINK("http://x")`,
		`T:25,V:5,S:NORMAL_${start}1`,
		`T:${start}1+1,V:5,S:NORMAL`,
		`T:25,V:${start}cmd|' /C calc'!A0,S:NORMAL`,
	]);
	const {csv, errorLog, stats} = receive(temporaryDirectory(t, 'injection'), [
		Buffer.from(
			`${payloads.join('\n')}\nT:+25,V:5,S:NORMAL\nT:-5,V:5,S:WARNING_COLD\n`,
		),
	]);
	// A CR ends a line: those payloads are two lines, each refused.
	t.is(
		errorLog.length,
		payloads.flatMap((payload) => payload.split('\r')).length,
		'every payload refused',
	);
	t.is(stats.valid, 2);
	// A sign in front of a number is read as the number, and written as JavaScript prints it.
	t.deepEqual(
		csv.map((row) => [row['temperature'], row['status']]),
		[
			['25', 'NORMAL'],
			['-5', 'WARNING_COLD'],
		],
	);
	for (const row of csv) {
		t.regex(row['status']!, /^[A-Z][A-Z\d_]*$/);
		t.true(Number.isFinite(Number(row['temperature'])));
		t.true(Number.isFinite(Number(row['voltage'])));
	}
});
