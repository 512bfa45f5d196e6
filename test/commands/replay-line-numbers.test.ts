import {Buffer} from 'node:buffer';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {parse} from 'csv-parse/sync';
import {defaultConfig, maxLineBytesLimit} from '../../source/core/config.js';
import {openRawLog} from '../../source/adapters/raw-log.js';
import {readRawLog} from '../../source/adapters/raw-log-reader.js';
import {replay} from '../../source/commands/replay.js';
import {recordingIo} from '../helpers/command-io.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';

const time = Date.parse('2026-11-24T10:00:00.000Z');
const valid = (temperature: number) =>
	Buffer.from(`T:${temperature},V:5,S:NORMAL`);

/**
 * A raw.log as a run with max_line_bytes 4096 writes it: a 2000-byte line among valid
 * ones, and (by hand) a line longer than any config allows.
 */
function rawLogWithLongLines(dir: string): string {
	const path = join(dir, 'raw.log');
	const log = openRawLog(path);
	log.append(time, [
		valid(20),
		Buffer.from(`T:21,V:5,S:WARNING_${'X'.repeat(2000 - 19)}`),
		valid(22),
		Buffer.alloc(maxLineBytesLimit + 5000, 0x41),
		valid(23),
	]);
	log.close();
	return path;
}

test('the raw.log reader numbers physical lines, however long a line is', async (t) => {
	const path = rawLogWithLongLines(temporaryDirectory(t, 'long-lines'));
	const lines: Array<[number, number]> = [];
	for await (const {line, bytes} of readRawLog(path, () => {
		t.fail('no line is malformed');
	})) {
		lines.push([line, bytes.length]);
	}

	t.deepEqual(lines, [
		[1, 17],
		[2, 2000],
		[3, 17],
		// Cut at the longest line any config lets a run write; the rest dropped, not a line.
		[4, maxLineBytesLimit],
		[5, 17],
	]);
});

test("replay with today's smaller max_line_bytes: an over-long raw.log line is one parse error, and later line numbers still point at raw.log", async (t) => {
	const dir = temporaryDirectory(t, 'long-lines');
	const rawLog = rawLogWithLongLines(dir);
	const out = join(dir, 'replay');
	const io = recordingIo();
	await replay({config: defaultConfig, rawLog, out}, io);
	t.regex(io.err(), /^serialwatch: 5 lines \(3 valid, 2 malformed\)/);
	const rows = parse<Record<string, string>>(
		readFileSync(join(out, 'structured_metrics.csv')),
		{columns: true},
	);
	t.deepEqual(
		rows.map((row) => [row['raw_line'], row['temperature']]),
		[
			['1', '20'],
			['3', '22'],
			['5', '23'],
		],
	);
	const errors = readFileSync(join(out, 'parser_errors.log'), 'utf8')
		.split('\n')
		.filter((line) => line !== '');
	t.deepEqual(
		errors.map((line) => line.split('\t')[1]),
		[
			'line is longer than serial.max_line_bytes (1024 bytes)',
			'line is longer than serial.max_line_bytes (1024 bytes)',
		],
	);
	t.is(
		errors[0]!.split('\t')[2],
		`T:21,V:5,S:WARNING_${'X'.repeat(1981)}`,
		'the whole 2000-byte line is in the error log',
	);
	t.deepEqual(
		errors.map((line) => line.split('\t')[3]),
		['2', '4'],
		'each error names its raw.log line',
	);
});
