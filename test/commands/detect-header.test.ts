// detect finds a CSV's columns by name in its header, and refuses one whose columns are
// another device's, naming the fix.
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {parse} from 'csv-parse/sync';
import fc from 'fast-check';
import {openMetricsCsv} from '../../source/adapters/metrics-csv.js';
import type {DeviceProfile, Reading} from '../../source/core/device-profile.js';
import {parseConfig} from '../../source/core/config.js';
import {
	detect,
	headerProblem,
	rowReading,
} from '../../source/commands/detect.js';
import {UsageError} from '../../source/commands/usage-error.js';
import {recordingIo} from '../helpers/command-io.js';
import {builtin} from '../helpers/builtin-reading.js';
import {greenhouse} from '../helpers/declared-profiles.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';

const config = parseConfig('', 'config.yaml');

const rows = [
	['2026-12-01T10:00:00.000Z', '20', '5', 'NORMAL', '1'],
	['2026-12-01T10:00:01.000Z', '91', '5', 'NORMAL', '2'],
	['2026-12-01T10:00:12.000Z', '92', '5', 'NORMAL', '3'],
	['2026-12-01T10:00:13.000Z', '20', '5', 'NORMAL', '4'],
];

async function detectOn(
	dir: string,
	name: string,
	text: string,
): Promise<{code: number; out: string; err: string}> {
	const csv = join(dir, name);
	writeFileSync(csv, text);
	const io = recordingIo();
	const code = await detect({config, csv, report: '-'}, io);
	return {code, out: io.out(), err: io.err()};
}

test('columns are found by name: the same rows in another column order give the same report', async (t) => {
	const dir = temporaryDirectory(t, 'detect-header');
	const inOrder = await detectOn(
		dir,
		'in-order.csv',
		[
			'timestamp,temperature,voltage,status,raw_line',
			...rows.map((row) => row.join(',')),
			'',
		].join('\r\n'),
	);
	const shuffled = await detectOn(
		dir,
		'shuffled.csv',
		[
			'raw_line,status,timestamp,voltage,temperature',
			...rows.map(([time, temperature, voltage, status, line]) =>
				[line, status, time, voltage, temperature].join(','),
			),
			'',
		].join('\r\n'),
	);
	t.is(inOrder.code, 0);
	t.regex(inOrder.out, /THRESHOLD_BREACH_TEMP/);
	t.is(shuffled.out, inOrder.out);
});

test("a CSV of another device's columns is refused, naming both headers and the fix", async (t) => {
	const dir = temporaryDirectory(t, 'detect-header');
	const error = await t.throwsAsync(
		detectOn(
			dir,
			'greenhouse.csv',
			'timestamp,temperature,humidity,state,raw_line\r\n2026-12-01T10:00:00.000Z,23,45,OK,1\r\n',
		),
		{instanceOf: UsageError},
	);
	t.is(
		error?.message,
		`${join(dir, 'greenhouse.csv')} holds another device's columns (timestamp,temperature,humidity,state,raw_line; this device's are timestamp,temperature,voltage,status,raw_line): run detect with the config the CSV was written under (--config), or replay raw.log with this config to write this device's CSV`,
	);
});

test("the header check: the device's columns in any order, raw_line optional, nothing else", (t) => {
	t.is(
		headerProblem(['timestamp', 'temperature', 'voltage', 'status'], builtin),
		undefined,
	);
	t.is(
		headerProblem(
			['state', 'humidity', 'temperature', 'timestamp', 'raw_line'],
			greenhouse,
		),
		undefined,
	);
	t.regex(
		headerProblem(
			['timestamp', 'temperature', 'voltage', 'status', 'raw_line', 'extra'],
			builtin,
		)!,
		/^holds another device's columns/,
	);
	t.regex(
		headerProblem(['timestamp', 'temperature', 'raw_line'], greenhouse)!,
		/^holds another device's columns/,
	);
	t.regex(
		headerProblem(['# serialwatch'], builtin)!,
		/^is not a structured_metrics\.csv/,
	);
});

const tricky: DeviceProfile = {
	...greenhouse,
	fields: [
		...greenhouse.fields.slice(0, 2),
		{
			type: 'status',
			name: 'state',
			key: 'st',
			label: 'State',
			optional: true,
			levels: [
				{match: 'exact', value: '=ON', level: 'NORMAL'},
				{match: 'exact', value: "'quoted", level: 'NORMAL'},
				{match: 'exact', value: '-', level: 'CRITICAL'},
				{match: 'exact', value: 'A,B "c"', level: 'NORMAL'},
				{match: 'prefix', value: 'HOT', level: 'WARNING'},
			],
		},
	],
};

test('property: a row read back is the reading written, guarded and quoted text and absent fields included', (t) => {
	const dir = temporaryDirectory(t, 'detect-rows');
	let run = 0;
	const state = fc.constantFrom('=ON', "'quoted", '-', 'A,B "c"', 'HOT_SUN');
	fc.assert(
		fc.property(
			fc.array(
				fc.record({
					// -0 is written as String() writes it, 0, and read back so.
					temperature: fc
						.double({min: -1000, max: 1000, noNaN: true})
						.map((value) => value + 0),
					humidity: fc.option(fc.integer({min: 0, max: 10_000}), {
						nil: undefined,
					}),
					state: fc.option(state, {nil: undefined}),
				}),
				{minLength: 1, maxLength: 6},
			),
			(readings) => {
				const path = join(dir, `run-${run++}.csv`);
				const csv = openMetricsCsv(path, tricky);
				const written = readings.map(
					({temperature, humidity, state}) =>
						({
							values: [
								temperature,
								humidity === undefined ? undefined : humidity / 100,
								state,
							],
							level:
								state === '-'
									? 'CRITICAL'
									: state === 'HOT_SUN'
										? 'WARNING'
										: 'NORMAL',
						}) satisfies Reading,
				);
				for (const [index, reading] of written.entries()) {
					csv.appendReading(0, index + 1, reading);
				}

				csv.close();
				const rows = parse<Record<string, string>>(readFileSync(path, 'utf8'), {
					columns: true,
				});
				t.deepEqual(
					rows.map((row) => rowReading(row, tricky)),
					written.map((reading) => ({ok: true, reading})),
				);
			},
		),
		{numRuns: 200},
	);
});

test('a row is held to the device rules: a bad number names its key, an empty required cell is missing', (t) => {
	t.deepEqual(
		rowReading({temperature: 'x', humidity: '45', state: 'OK'}, greenhouse),
		{ok: false, reason: "temp is not a number: 'x'"},
	);
	t.deepEqual(
		rowReading({temperature: '', humidity: '45', state: ''}, greenhouse),
		{ok: false, reason: 'missing temp'},
	);
	t.like(rowReading({temperature: '20', humidity: '', state: ''}, greenhouse), {
		ok: true,
		reading: {values: [20, undefined, undefined], level: 'NORMAL'},
	});
});
