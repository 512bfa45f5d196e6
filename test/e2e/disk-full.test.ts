// A full disk, for real: the output dir is a 1 MiB tmpfs almost filled by another file (as
// root), or a file-size limit set on the monitor (EFBIG, anyone). The monitor stops naming the file it could not write; once space is freed, the next run
// repairs the CSV and the error log so that they hold exactly what a replay of raw.log
// gives: no torn record, no reading missing.
import {Buffer} from 'node:buffer';
import process from 'node:process';
import {execFileSync, spawnSync} from 'node:child_process';
import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {SerialPort} from 'serialport';
import {
	closePort,
	openPort,
	writeAll,
} from '../../source/adapters/serial-port-io.js';
import {createVirtualPair} from '../../source/adapters/virtual-pair.js';
import {cliPath, startCli, stopOnTeardown} from '../helpers/cli.js';
import {escapeRegExp} from '../helpers/escape-regexp.js';
import {requireSocat} from '../helpers/socat.js';
import {recordSkippedTest} from '../helpers/skipped-tests.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';

/** Mounts a 1 MiB tmpfs on `dir` (root only); false if it cannot. */
function mountSmallTmpfs(dir: string): boolean {
	const result = spawnSync(
		'mount',
		['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir],
		{stdio: 'ignore'},
	);
	return result.status === 0;
}

function lineFor(index: number): string {
	// Every seventh line is garbage, so both derived files are written.
	return index % 7 === 3
		? `garbage ${index}`
		: `T:${20 + (index % 50)}.${index % 10},V:5.0,S:NORMAL`;
}

test('a full disk (a 1 MiB tmpfs): the monitor stops naming the file; the next run repairs the CSV and the error log to match raw.log', async (t) => {
	if (!requireSocat(t)) {
		return;
	}

	const dir = temporaryDirectory(t, 'disk-full');
	const mountPoint = join(dir, 'small');
	mkdirSync(mountPoint);
	if (!mountSmallTmpfs(mountPoint)) {
		skipWithoutTmpfs(t);
		return;
	}

	t.teardown(() => {
		execFileSync('umount', ['-l', mountPoint]);
	});
	// Leaves about 40 KiB free: a few hundred lines fill it.
	const filler = join(mountPoint, 'filler');
	writeFileSync(filler, Buffer.alloc(1024 * 1024 - 40 * 1024));
	await fillThenRecover(t, {
		dir,
		out: join(mountPoint, 'data'),
		error: /ENOSPC: no space left on device/,
		limit() {
			return undefined;
		},
		free() {
			rmSync(filler);
		},
	});
});

test('a file-size limit (RLIMIT_FSIZE, EFBIG): the same stop naming the file, the same repair', async (t) => {
	if (!requireSocat(t)) {
		return;
	}

	const dir = temporaryDirectory(t, 'file-limit');
	await fillThenRecover(t, {
		dir,
		out: join(dir, 'data'),
		error: /EFBIG: file too large/,
		limit(pid) {
			// Set on the running monitor; Node.js ignores SIGXFSZ, so a write past it fails with EFBIG.
			execFileSync('prlimit', ['--pid', String(pid), '--fsize=40000']);
		},
		free() {
			return undefined;
		},
	});
});

/** Not root: the file-size limit test goes through the same failure, so this one is set aside. */
function skipWithoutTmpfs(t: ExecutionContext): void {
	if (
		!recordSkippedTest({
			title: t.title,
			tool: 'mount -t tmpfs',
			install: 'run the tests as root',
		})
	) {
		t.log(
			'SKIPPED: mount -t tmpfs failed (not root?); the RLIMIT_FSIZE test covers the same path',
		);
	}

	t.pass();
}

/**
 * Sends lines until the monitor stops for want of space, checks its message, frees the
 * space, starts it again, and compares the derived files with a replay of raw.log.
 */
async function fillThenRecover(
	t: ExecutionContext,
	{
		dir,
		out,
		error,
		limit,
		free,
	}: {
		dir: string;
		out: string;
		error: RegExp;
		limit: (pid: number) => void;
		free: () => void;
	},
) {
	const device = join(dir, 'device-tty');
	const monitorSide = join(dir, 'monitor-tty');
	let pair = await createVirtualPair(device, monitorSide);
	t.teardown(async () => pair.close());

	const first = stopOnTeardown(
		t,
		startCli(['--port', monitorSide, '--out', out, '--headless']),
	);
	await first.waitFor(/listening on/);
	limit(first.child.pid!);
	const port = new SerialPort({
		path: device,
		baudRate: 115_200,
		autoOpen: false,
	});
	await openPort(port);
	let sent = 0;
	while (first.child.exitCode === null && sent < 20_000) {
		const from = sent;
		const lines = Array.from({length: 50}, (_, index) => lineFor(from + index));
		// eslint-disable-next-line no-await-in-loop -- one burst after the other, as a device sends
		await writeAll(port, lines.map((line) => `${line}\n`).join(''));
		sent += lines.length;
		// eslint-disable-next-line no-await-in-loop
		await new Promise((resolve) => {
			setTimeout(resolve, 20);
		});
	}

	t.is(await first.exited, 1, 'a full disk ends the run');
	t.regex(
		first.stderr(),
		new RegExp(
			String.raw`stopped: cannot write ${escapeRegExp(out)}/(raw\.log|structured_metrics\.csv|parser_errors\.log): (${error.source}).*Free some space and start again`,
		),
		'the message names the file',
	);
	await closePort(port).catch(() => undefined);
	await pair.close();

	// Space is freed; the next run takes up raw.log and repairs what the full disk tore.
	free();
	pair = await createVirtualPair(device, monitorSide);
	const second = stopOnTeardown(
		t,
		startCli(['--port', monitorSide, '--out', out, '--headless']),
	);
	// The port opens before the take-up: a stop before it ends would leave the repair to
	// the start after.
	await second.waitFor(/took up \d+ earlier lines/);
	second.child.kill('SIGINT');
	t.is(await second.exited, 0, `${second.stderr()}`);

	const replayed = join(dir, 'replayed');
	execFileSync(
		process.execPath,
		[cliPath, 'replay', join(out, 'raw.log'), '--out', replayed],
		{stdio: 'pipe'},
	);
	const raw = readFileSync(join(out, 'raw.log'), 'utf8');
	t.true(
		raw.split('\n').length > 100,
		'the run logged lines before the disk filled',
	);
	for (const name of ['structured_metrics.csv', 'parser_errors.log']) {
		t.is(
			readFileSync(join(out, name), 'utf8'),
			readFileSync(join(replayed, name), 'utf8'),
			`${name} holds exactly what raw.log gives`,
		);
	}
}
