// A full disk, for real: the output dir is a 1 MiB tmpfs almost filled by another file. The
// monitor stops naming the file it could not write; once space is freed, the next run
// repairs the CSV and the error log so that they hold exactly what a replay of raw.log
// gives: no torn record, no reading missing.
import {Buffer} from 'node:buffer';
import process from 'node:process';
import {execFileSync, spawnSync} from 'node:child_process';
import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
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
import {requireTool} from '../helpers/require-tool.js';
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

test('a full disk: the monitor stops naming the file; the next run repairs the CSV and the error log to match raw.log', async (t) => {
	if (!requireSocat(t)) {
		return;
	}

	const dir = temporaryDirectory(t, 'disk-full');
	const mountPoint = join(dir, 'small');
	mkdirSync(mountPoint);
	if (
		!requireTool(t, {
			name: 'mount -t tmpfs',
			available: mountSmallTmpfs(mountPoint),
			purpose: 'a 1 MiB tmpfs to fill (run as root)',
			install: 'run the tests as root',
		})
	) {
		return;
	}

	t.teardown(() => {
		execFileSync('umount', ['-l', mountPoint]);
	});
	// Leaves about 40 KiB free: a few hundred lines fill it.
	const filler = join(mountPoint, 'filler');
	writeFileSync(filler, Buffer.alloc(1024 * 1024 - 40 * 1024));
	const out = join(mountPoint, 'data');
	const device = join(dir, 'device-tty');
	const monitorSide = join(dir, 'monitor-tty');
	let pair = await createVirtualPair(device, monitorSide);
	t.teardown(async () => pair.close());

	const first = stopOnTeardown(
		t,
		startCli(['--port', monitorSide, '--out', out, '--headless']),
	);
	await first.waitFor(/listening on/);
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
			String.raw`cannot write ${escapeRegExp(out)}/(raw\.log|structured_metrics\.csv|parser_errors\.log).*no space left on device`,
		),
		'the message names the file',
	);
	await closePort(port).catch(() => undefined);
	await pair.close();

	// Space is freed; the next run takes up raw.log and repairs what the full disk tore.
	rmSync(filler);
	pair = await createVirtualPair(device, monitorSide);
	const second = stopOnTeardown(
		t,
		startCli(['--port', monitorSide, '--out', out, '--headless']),
	);
	await second.waitFor(/listening on/);
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
});
