// Replay writes the CSV and the error log through large buffers: a write the disk refuses
// comes at a flush, and must still stop the replay naming the file, with nothing after it.
import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import process from 'node:process';
import test from 'ava';
import {replayJournalDir} from '../../source/commands/replay.js';
import {cliPath} from '../helpers/cli.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';

const fileSizeLimit = 100_000;

function rawLog(dir: string): string {
	const path = join(dir, 'raw.log');
	const start = Date.parse('2026-11-24T10:00:00.000Z');
	const lines = Array.from({length: 20_000}, (_, index) => {
		const stamp = new Date(start + index * 100).toISOString();
		return index % 9 === 4
			? `${stamp}\tgarbage ${index}\n`
			: `${stamp}\tT:${20 + (index % 30)}.5,V:5.0,S:NORMAL\n`;
	});
	writeFileSync(path, lines.join(''));
	return path;
}

test('a file-size limit (EFBIG) met at a flush: replay exits 1 naming the file, writes nothing after, and no report', (t) => {
	const dir = temporaryDirectory(t, 'replay-full');
	const raw = rawLog(dir);
	const whole = join(dir, 'whole');
	const cut = join(dir, 'cut');
	const full = spawnSync(
		process.execPath,
		[cliPath, 'replay', raw, '--out', whole],
		{encoding: 'utf8'},
	);
	t.is(full.status, 0, `${full.stderr}`);
	const limited = spawnSync(
		'prlimit',
		[
			`--fsize=${fileSizeLimit}`,
			process.execPath,
			cliPath,
			'replay',
			raw,
			'--out',
			cut,
		],
		{encoding: 'utf8'},
	);
	t.is(limited.status, 1, `${limited.stderr}`);
	t.regex(
		limited.stderr,
		// The CSV, or the incident journal if one of its files reaches the limit first.
		/^serialwatch replay: cannot write \S+\/(?:structured_metrics\.csv|\.replay-incidents\/[A-Z_]+\.jsonl): EFBIG: file too large/m,
	);
	t.notRegex(
		limited.stderr,
		/cannot read/,
		'a write failure is no read failure',
	);
	const csv = readFileSync(join(cut, 'structured_metrics.csv'));
	t.true(csv.length <= fileSizeLimit);
	t.true(
		readFileSync(join(whole, 'structured_metrics.csv'))
			.subarray(0, csv.length)
			.equals(csv),
		'what was written is the start of the whole CSV, nothing else',
	);
	t.true(statSync(join(cut, 'parser_errors.log')).size <= fileSizeLimit);
	t.false(
		existsSync(join(cut, 'anomaly_report.json')),
		'no report of a replay that failed',
	);
	t.false(existsSync(replayJournalDir(cut)), 'its incident journal is removed');
});
