// `detect` names a skipped row by its own line in the CSV (the header is line 1), as an
// editor or `sed -n` counts.
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {parseConfig} from '../../source/core/config.js';
import {detect} from '../../source/commands/detect.js';
import {recordingIo} from '../helpers/command-io.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';

test('skipped rows are named by their line in the CSV', async (t) => {
	const csv = join(temporaryDirectory(t, 'detect'), 'metrics.csv');
	writeFileSync(
		csv,
		[
			'timestamp,temperature,voltage,status,raw_line',
			'bad,20,5,NORMAL,1',
			'2026-12-01T10:00:00.000Z,21,5,NORMAL,2',
			'2026-12-01T10:00:01.000Z,x,5,NORMAL,3',
			'2026-12-01T10:00:02.000Z,22,5,NORMAL,4',
			'',
		].join('\r\n'),
	);
	const io = recordingIo();
	const code = await detect(
		{config: parseConfig('', 'config.yaml'), csv, report: '-'},
		io,
	);
	t.is(code, 0);
	t.deepEqual(
		io
			.err()
			.split('\n')
			.filter((line) => line.includes('skipped')),
		[
			`${csv}:2: skipped: bad timestamp 'bad'`,
			`${csv}:4: skipped: T is not a number: 'x'`,
		],
	);
});
