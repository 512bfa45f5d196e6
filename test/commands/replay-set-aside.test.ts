// A replay into a folder whose CSV holds another device's columns keeps that file whole,
// says where it went, and writes its own rows to a new structured_metrics.csv.
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {parseConfig} from '../../source/core/config.js';
import {replay} from '../../source/commands/replay.js';
import {recordingIo} from '../helpers/command-io.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';

test("replay sets aside another device's CSV instead of emptying it, and says so", async (t) => {
	const dir = temporaryDirectory(t, 'replay-aside');
	const rawLog = join(dir, 'raw.log');
	writeFileSync(
		rawLog,
		'2026-12-01T10:00:00.000Z\tT:21,V:5,S:NORMAL\n2026-12-01T10:00:01.000Z\tT:22,V:5,S:NORMAL\n',
	);
	const out = join(dir, 'replay');
	const other =
		'timestamp,temperature,humidity,state,raw_line\r\n2026-11-30T08:00:00.000Z,23,45,OK,1\r\n';
	mkdirSync(out);
	writeFileSync(join(out, 'structured_metrics.csv'), other);
	const io = recordingIo();
	t.is(
		await replay({config: parseConfig('', 'config.yaml'), rawLog, out}, io),
		0,
	);
	const aside = readdirSync(out).filter((name) =>
		/^structured_metrics\..+Z\.csv$/.test(name),
	);
	t.is(aside.length, 1);
	t.is(readFileSync(join(out, aside[0]!), 'utf8'), other);
	t.is(
		readFileSync(join(out, 'structured_metrics.csv'), 'utf8'),
		'timestamp,temperature,voltage,status,raw_line\r\n2026-12-01T10:00:00.000Z,21,5,NORMAL,1\r\n2026-12-01T10:00:01.000Z,22,5,NORMAL,2\r\n',
	);
	t.regex(io.err(), /set aside whole as .*structured_metrics\..+Z\.csv;/);
});
