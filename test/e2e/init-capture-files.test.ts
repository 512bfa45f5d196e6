// `serialwatch init --from-file` on files a user may give by mistake: an empty one, random
// bytes, a directory, and a huge one, of which only the first lines are read (in bounded
// memory, whatever follows them).
import {
	existsSync,
	mkdirSync,
	openSync,
	closeSync,
	ftruncateSync,
	writeFileSync,
	writeSync,
} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {runCli, startCli, stopOnTeardown} from '../helpers/cli.js';
import {garbageBytes} from '../helpers/garbage-bytes.js';
import {canReadPeakRss, watchPeakRss} from '../helpers/peak-rss.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';

test('an empty file: exit 1, "holds no line", no config written', async (t) => {
	const dir = temporaryDirectory(t, 'init-empty');
	const file = join(dir, 'capture.txt');
	writeFileSync(file, '');
	const target = join(dir, 'config.yaml');
	const result = await runCli(['init', target, '--from-file', file]);
	t.is(result.code, 1, `${result.stderr}`);
	t.regex(
		result.stderr,
		/capture\.txt holds no line: nothing to declare a device from/,
	);
	t.false(existsSync(target));
});

test('random bytes: exit 1, "no line-oriented protocol recognised" with the printable share, no config written', async (t) => {
	const dir = temporaryDirectory(t, 'init-binary');
	const file = join(dir, 'capture.bin');
	writeFileSync(file, garbageBytes(5, 300_000));
	const target = join(dir, 'config.yaml');
	const result = await runCli(['init', target, '--from-file', file]);
	t.is(result.code, 1, `${result.stderr}`);
	t.regex(
		result.stderr,
		/no line-oriented protocol recognised in [\d,]+ lines of \S+capture\.bin \(\d+% of the bytes are printable text\)/,
	);
	t.false(existsSync(target));
});

test('a directory: exit 2, "cannot read" with the reason, no config written', async (t) => {
	const dir = temporaryDirectory(t, 'init-directory');
	const capture = join(dir, 'captures');
	mkdirSync(capture);
	const target = join(dir, 'config.yaml');
	const result = await runCli(['init', target, '--from-file', capture]);
	t.is(result.code, 2, `${result.stderr}`);
	t.regex(
		result.stderr,
		/cannot read \S+captures: illegal operation on a directory \(EISDIR\)/,
	);
	t.false(existsSync(target));
});

test('a 4 GB file: only its first 1000 lines are read, in bounded memory', async (t) => {
	t.timeout(120_000);
	const dir = temporaryDirectory(t, 'init-huge');
	const file = join(dir, 'capture.txt');
	const fd = openSync(file, 'w');
	const lines = Array.from(
		{length: 1000},
		(_, index) =>
			`temp:${(20 + index / 100).toFixed(2)},hum:${40 + (index % 7)}\n`,
	).join('');
	writeSync(fd, lines);
	// The rest a hole the file system does not store: zeros, no line end, 4 GB of them.
	ftruncateSync(fd, 4 * 1024 ** 3);
	closeSync(fd);
	const target = join(dir, 'config.yaml');
	const init = stopOnTeardown(
		t,
		startCli(['init', target, '--from-file', file]),
	);
	const peak = canReadPeakRss ? watchPeakRss(init.child.pid!) : undefined;
	t.is(await init.exited, 0, `${init.stderr()}`);
	const rss = peak?.stop();
	t.regex(init.stdout(), /^1000 of 1000 lines matched \(pairs\)\.$/m);
	t.log(
		`peak RSS ${rss === undefined ? '?' : Math.round(rss / 1024 / 1024)} MB`,
	);
	// Reading the file whole would take 4 GB; the process itself takes well under 300 MB.
	t.true(
		!canReadPeakRss || (rss !== undefined && rss < 300 * 1024 * 1024),
		`peak RSS ${rss} bytes`,
	);
});
