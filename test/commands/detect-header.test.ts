// detect finds a CSV's columns by name in its header, and refuses one whose columns are
// another device's, naming the fix.
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {parseConfig} from '../../source/core/config.js';
import {detect, headerProblem} from '../../source/commands/detect.js';
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
