// The CSV of a declared device: its columns, its rows (the in-buffer writer and the text
// form agree), no cell a spreadsheet runs as a formula, and a file of another device's
// columns set aside whole, never mixed with this one's rows.
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {parse} from 'csv-parse/sync';
import fc from 'fast-check';
import {
	metricsColumns,
	openMetricsCsv,
} from '../../source/adapters/metrics-csv.js';
import {csvRecord, unguardText} from '../../source/core/csv-record.js';
import type {Reading} from '../../source/core/device-profile.js';
import {builtin, builtinReading} from '../helpers/builtin-reading.js';
import {greenhouse} from '../helpers/declared-profiles.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';

const time = Date.parse('2026-11-24T10:00:00.123Z');
const stamp = '2026-11-24T10:00:00.123Z';
const builtinHeader = 'timestamp,temperature,voltage,status,raw_line\r\n';
const greenhouseHeader = 'timestamp,temperature,humidity,state,raw_line\r\n';

function reading(values: Reading['values']): Reading {
	return {values, level: 'NORMAL'};
}

test("a declared device's columns: timestamp, its fields by name in order, raw_line", (t) => {
	t.deepEqual(metricsColumns(greenhouse), [
		'timestamp',
		'temperature',
		'humidity',
		'state',
		'raw_line',
	]);
	t.deepEqual(metricsColumns(builtin), [
		'timestamp',
		'temperature',
		'voltage',
		'status',
		'raw_line',
	]);
});

test("a declared device's rows: numbers as JavaScript prints them, an absent optional field empty, text quoted only when it must be", (t) => {
	const path = join(temporaryDirectory(t, 'csv'), 'structured_metrics.csv');
	const csv = openMetricsCsv(path, greenhouse);
	csv.appendReading(time, 1, reading([23, 45.5, 'OK']));
	csv.appendReading(time, 2, reading([-0.25, undefined, 'HOT_SUN']));
	csv.append([
		{time, line: 3, reading: reading([1e21, 0, undefined])},
		{time, line: 4, reading: reading([23, 45, 'HOT, "dry"'])},
		{time, line: 5, reading: reading([23, 45, 'HOT_é'])},
	]);
	csv.close();
	t.is(
		readFileSync(path, 'utf8'),
		greenhouseHeader +
			`${stamp},23,45.5,OK,1\r\n` +
			`${stamp},-0.25,,HOT_SUN,2\r\n` +
			`${stamp},1e+21,0,,3\r\n` +
			`${stamp},23,45,"HOT, ""dry""",4\r\n` +
			`${stamp},23,45,HOT_é,5\r\n`,
	);
});

test('formula injection: no text cell starts with = + - @, tab or CR; a negative number stays a number', (t) => {
	const path = join(temporaryDirectory(t, 'csv'), 'structured_metrics.csv');
	const csv = openMetricsCsv(path, greenhouse);
	const starts = ['=', '+', '-', '@', '\t', '\r'];
	for (const [index, start] of starts.entries()) {
		csv.appendReading(
			time,
			index + 1,
			reading([-5, 1, `${start}HYPERLINK("http://x")`]),
		);
	}

	csv.close();
	const rows = parse<Record<string, string>>(readFileSync(path, 'utf8'), {
		columns: true,
	});
	t.is(rows.length, starts.length);
	for (const [index, row] of rows.entries()) {
		t.is(row['state'], `'${starts[index]!}HYPERLINK("http://x")`);
		t.is(row['temperature'], '-5');
	}
});

// Text rich in what needs quoting or guarding, numbers of every kind.
const textValue = fc.string({
	unit: fc.constantFrom(
		"'",
		'A',
		'z',
		'_',
		',',
		'"',
		'\r',
		'\n',
		'=',
		'+',
		'-',
		'@',
		'\t',
		' ',
		'é',
		'😀',
	),
	maxLength: 12,
});
const numberValue = fc.oneof(
	fc.double({noNaN: true, noDefaultInfinity: true}),
	fc.integer(),
	fc.integer({min: -100_000, max: 100_000}).map((value) => value / 100),
);

test('property: every row reads back as its values, and no text cell starts like a formula', (t) => {
	const dir = temporaryDirectory(t, 'csv');
	let run = 0;
	fc.assert(
		fc.property(
			fc.array(
				fc.tuple(
					numberValue,
					fc.option(numberValue, {nil: undefined}),
					fc.option(textValue, {nil: undefined}),
				),
				{minLength: 1, maxLength: 8},
			),
			(rows) => {
				const path = join(dir, `run-${run++}.csv`);
				const csv = openMetricsCsv(path, greenhouse);
				for (const [index, values] of rows.entries()) {
					csv.appendReading(time, index + 1, reading(values));
				}

				csv.close();
				const text = readFileSync(path, 'utf8');
				// The text form the in-buffer writer must equal, built independently.
				const expected = rows
					.map(([temperature, humidity, state], index) =>
						csvRecord([
							stamp,
							String(temperature),
							humidity === undefined ? '' : String(humidity),
							state === undefined
								? ''
								: /^[=+\-@\t\r']/.test(state)
									? `'${state}`
									: state,
							index + 1,
						]),
					)
					.join('');
				t.is(text, greenhouseHeader + expected);
				const read = parse<Record<string, string>>(text, {
					columns: true,
					record_delimiter: '\r\n',
				});
				t.is(read.length, rows.length);
				for (const [index, row] of read.entries()) {
					t.notRegex(row['state']!, /^[=+\-@\t\r]/);
					t.is(unguardText(row['state']!), rows[index]![2] ?? '');
				}
			},
		),
		{numRuns: 300},
	);
});

function filesIn(dir: string): string[] {
	return readdirSync(dir).toSorted();
}

const oldRows = `${builtinHeader}${stamp},85.5,5,WARNING_TEMP,1\r\n${stamp},20,5,NORMAL,2\r\n`;

test("another device's CSV is set aside whole, under a name the notice gives, and this device's rows start a new file", (t) => {
	const dir = temporaryDirectory(t, 'csv');
	const path = join(dir, 'structured_metrics.csv');
	writeFileSync(path, oldRows);
	const csv = openMetricsCsv(path, greenhouse);
	csv.appendReading(time, 3, reading([23, 45, 'OK']));
	csv.close();
	const setAside = csv.setAside!;
	t.truthy(setAside, 'set aside');

	t.regex(
		setAside.path,
		/\/structured_metrics\.\d{4}-\d\d-\d\dT\d{6}\.\d{3}Z\.csv$/,
	);
	t.deepEqual(
		filesIn(dir),
		[setAside.path.slice(dir.length + 1), 'structured_metrics.csv'].toSorted(),
	);
	t.is(readFileSync(setAside.path, 'utf8'), oldRows, 'kept byte for byte');
	t.is(
		readFileSync(path, 'utf8'),
		`${greenhouseHeader}${stamp},23,45,OK,3\r\n`,
	);
	t.is(csv.tail.lastLine, 0, 'the new file holds no reading yet');
	t.is(
		setAside.notice,
		`${path} holds other columns than this device's (timestamp,temperature,voltage,status,raw_line, not timestamp,temperature,humidity,state,raw_line): set aside whole as ${setAside.path}; this device's rows go to a new ${path}`,
	);
	// The next start with the same device appends, and sets nothing more aside.
	const again = openMetricsCsv(path, greenhouse);
	again.close();
	t.is(again.setAside, undefined);
	t.is(again.tail.lastLine, 3);
	t.is(filesIn(dir).length, 2);
});

test("a replay's rebuild (truncate) of another device's CSV sets it aside instead of emptying it", (t) => {
	const dir = temporaryDirectory(t, 'csv');
	const path = join(dir, 'structured_metrics.csv');
	writeFileSync(path, oldRows);
	const csv = openMetricsCsv(path, greenhouse, {truncate: true, batched: true});
	csv.close();
	t.is(readFileSync(csv.setAside!.path, 'utf8'), oldRows);
	t.is(readFileSync(path, 'utf8'), greenhouseHeader);
	// Back to the built-in device: the greenhouse file goes aside in turn, the first one stays.
	const back = openMetricsCsv(path, builtin);
	back.close();
	t.is(readFileSync(back.setAside!.path, 'utf8'), greenhouseHeader);
	t.is(readFileSync(csv.setAside!.path, 'utf8'), oldRows);
	t.is(readFileSync(path, 'utf8'), builtinHeader);
	t.is(filesIn(dir).length, 3, 'three files, none overwritten');
});

test('the same columns append as always: the header with raw_line or without (an older file), or a header cut short', (t) => {
	const dir = temporaryDirectory(t, 'csv');
	const cases = [
		['same', oldRows, oldRows],
		[
			'older',
			'timestamp,temperature,voltage,status\r\n',
			'timestamp,temperature,voltage,status\r\n',
		],
		['torn', 'timestamp,temper', builtinHeader],
		['torn-other', 'timestamp,temperature,humidity', builtinHeader],
		['empty', '', builtinHeader],
	] as const;
	for (const [name, before, kept] of cases) {
		const path = join(dir, `${name}.csv`);
		writeFileSync(path, before);
		const csv = openMetricsCsv(path, builtin);
		csv.appendReading(
			time,
			9,
			builtinReading({
				temperature: 20,
				voltage: 5,
				status: 'NORMAL',
				level: 'NORMAL',
			}),
		);
		csv.close();
		t.is(csv.setAside, undefined, `case ${name}`);
		t.is(
			readFileSync(path, 'utf8'),
			`${kept}${stamp},20,5,NORMAL,9\r\n`,
			`case ${name}`,
		);
	}
});

test('a file that is no CSV of ours at all is set aside too, and the notice shows its first line safely', (t) => {
	const dir = temporaryDirectory(t, 'csv');
	const path = join(dir, 'structured_metrics.csv');
	const hostile = `\u001B]0;owned\u0007${'x'.repeat(300)}`;
	writeFileSync(path, hostile);
	const csv = openMetricsCsv(path, builtin);
	csv.close();
	t.is(readFileSync(csv.setAside!.path, 'utf8'), hostile);
	t.is(csv.setAside!.header, `?]0;owned?${'x'.repeat(110)}…`);
	t.notRegex(csv.setAside!.notice, /\p{Cc}/u);
	t.is(readFileSync(path, 'utf8'), builtinHeader);
	t.true(existsSync(csv.setAside!.path));
});
