import {Buffer} from 'node:buffer';
import {readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {openMetricsCsv} from '../../source/adapters/metrics-csv.js';
import {openParserErrorLog} from '../../source/adapters/parser-error-log.js';
import {openRawLog} from '../../source/adapters/raw-log.js';
import {readRawLog} from '../../source/adapters/raw-log-reader.js';
import {writeReportYielding} from '../../source/adapters/report-writer.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {builtin, builtinReading} from '../helpers/builtin-reading.js';

const time = Date.parse('2026-11-24T10:00:00.123Z');

test('raw.log: exact bytes after an ISO time and a tab; a new run appends and keeps counting lines', (t) => {
	const path = join(temporaryDirectory(t, 'files'), 'raw.log');
	const first = openRawLog(path);
	t.is(
		first.append(time, [
			Buffer.from('T:1,V:5,S:NORMAL'),
			Buffer.from([0xff, 0x00, 0x0d]),
		]),
		1,
	);
	t.is(
		first.append(time + 1, []),
		3,
		'nothing to write still tells the next line number',
	);
	first.close();
	const second = openRawLog(path);
	t.is(second.append(time + 5, [Buffer.from('x')]), 3);
	second.close();
	t.deepEqual(
		readFileSync(path),
		Buffer.concat([
			Buffer.from(
				'2026-11-24T10:00:00.123Z\tT:1,V:5,S:NORMAL\n2026-11-24T10:00:00.123Z\t',
			),
			Buffer.from([0xff, 0x00, 0x0d]),
			Buffer.from('\n2026-11-24T10:00:00.128Z\tx\n'),
		]),
	);
});

test('raw.log: a torn last line (crash mid-write) is ended before a new run appends', (t) => {
	const path = join(temporaryDirectory(t, 'files'), 'raw.log');
	writeFileSync(
		path,
		'2026-11-24T10:00:00.000Z\tT:1\n2026-11-24T10:00:00.000Z\tT:2,V',
	);
	const log = openRawLog(path);
	t.is(log.append(time, [Buffer.from('next')]), 3);
	log.close();
	t.is(
		readFileSync(path, 'utf8').split('\n')[2],
		'2026-11-24T10:00:00.123Z\tnext',
	);
});

test('raw.log reader gives back lines (a trailing CR is data), times and line numbers, and reports lines not of the format', async (t) => {
	const path = join(temporaryDirectory(t, 'files'), 'raw.log');
	writeFileSync(
		path,
		Buffer.concat([
			Buffer.from(
				'2026-11-24T10:00:00.123Z\tT:1,V:5,S:NORMAL\nnot a raw line\n2026-11-24T10:00:01.000Z\t',
			),
			Buffer.from([0xfe, 0x09, 0x0d]),
			Buffer.from('\n'),
		]),
	);
	const problems: number[] = [];
	const lines = [];
	for await (const line of readRawLog(path, (problem) => {
		problems.push(problem.line);
	})) {
		lines.push(line);
	}

	t.deepEqual(problems, [2]);
	t.deepEqual(
		lines.map(({line, time, bytes}) => [
			line,
			new Date(time).toISOString(),
			[...bytes],
		]),
		[
			[1, '2026-11-24T10:00:00.123Z', [...Buffer.from('T:1,V:5,S:NORMAL')]],
			[3, '2026-11-24T10:00:01.000Z', [0xfe, 0x09, 0x0d]],
		],
	);
});

test('CSV: header once, RFC 4180 quoting and CRLF, appends across runs; truncate starts anew', (t) => {
	const path = join(temporaryDirectory(t, 'files'), 'metrics.csv');
	const row = {
		time,
		line: 7,
		reading: builtinReading({
			temperature: 85.5,
			voltage: 5,
			status: 'WARNING_"HOT"',
			level: 'WARNING',
		}),
	};
	const first = openMetricsCsv(path, builtin);
	first.append([row]);
	first.close();
	const second = openMetricsCsv(path, builtin);
	second.append([row]);
	second.close();
	const expected =
		'timestamp,temperature,voltage,status,raw_line\r\n' +
		'2026-11-24T10:00:00.123Z,85.5,5,"WARNING_""HOT""",7\r\n'.repeat(2);
	t.is(readFileSync(path, 'utf8'), expected);
	openMetricsCsv(path, builtin, {truncate: true}).close();
	t.is(
		readFileSync(path, 'utf8'),
		'timestamp,temperature,voltage,status,raw_line\r\n',
	);
});

test('parser_errors.log: time, reason, escaped line, raw.log line', (t) => {
	const path = join(temporaryDirectory(t, 'files'), 'errors.log');
	const log = openParserErrorLog(path);
	log.append([
		{
			time,
			line: 12,
			reason: 'missing V',
			bytes: Buffer.from([0x54, 0x3a, 0x31, 0x09, 0x1b, 0xc3]),
		},
	]);
	log.close();
	t.is(
		readFileSync(path, 'utf8'),
		'2026-11-24T10:00:00.123Z\tmissing V\tT:1\\x09\\x1b\\xc3\t12\n',
	);
});

test('report: written whole through a rename, no temporary file left', async (t) => {
	const dir = temporaryDirectory(t, 'files');
	const path = join(dir, 'anomaly_report.json');
	writeFileSync(path, '[{"old": true}]');
	await writeReportYielding(path, []);
	t.is(readFileSync(path, 'utf8'), '[]\n');
	t.deepEqual(readdirSync(dir), ['anomaly_report.json']);
});
