// `serialwatch init --from-port/--from-file` where it must refuse: garbage on a real port
// (said plainly, with the baud rate tried and the share of printable bytes, and no file
// written), a port that cannot be opened (the monitor's own error), an existing file (left
// as it is unless --force); and a raw.log read without its time stamps.
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {SerialPort} from 'serialport';
import {
	closePort,
	openPort,
	writeAll,
} from '../../source/adapters/serial-port-io.js';
import {createVirtualPair} from '../../source/adapters/virtual-pair.js';
import {deviceProfile, parseConfig} from '../../source/core/config.js';
import {runCli, startCli, stopOnTeardown} from '../helpers/cli.js';
import {garbageBytes} from '../helpers/garbage-bytes.js';
import {requireSocat} from '../helpers/socat.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';

test('garbage on the port: exit 1, "no line-oriented protocol recognised", the baud rate tried and the printable share; no file written', async (t) => {
	if (!requireSocat(t)) {
		return;
	}

	t.timeout(120_000);
	const dir = temporaryDirectory(t, 'init-garbage');
	const device = join(dir, 'device-tty');
	const monitorSide = join(dir, 'monitor-tty');
	const pair = await createVirtualPair(device, monitorSide);
	t.teardown(async () => pair.close());
	const target = join(dir, 'config.yaml');
	const init = stopOnTeardown(
		t,
		startCli(['init', target, '--from-port', monitorSide, '--seconds', '3']),
	);
	await init.waitFor(/listening to/);
	// The device end, written to until init is done: what a wrong baud rate delivers.
	const port = new SerialPort({
		path: device,
		baudRate: 115_200,
		autoOpen: false,
	});
	await openPort(port);
	t.teardown(async () => closePort(port));
	const bytes = garbageBytes(11, 200_000);
	const running = () =>
		init.child.exitCode === null && init.child.signalCode === null;
	for (let offset = 0; running(); offset = (offset + 4096) % bytes.length) {
		// Once init has gone, nobody drains the pair and a write can wait for ever: it is
		// not awaited past init's exit, and closing the port cancels it (caught, not thrown).
		const written = writeAll(port, bytes.subarray(offset, offset + 4096)).catch(
			() => undefined,
		);
		// eslint-disable-next-line no-await-in-loop -- paced: one piece at a time
		await Promise.race([written, init.exited]);
		// eslint-disable-next-line no-await-in-loop
		await new Promise((resolve) => {
			setTimeout(resolve, 20);
		});
	}

	t.is(await init.exited, 1, `${init.stderr()}`);
	t.regex(
		init.stderr(),
		/no line-oriented protocol recognised in [\d,]+ lines; wrong baud rate\? \(tried at 115200\) \d+% of the bytes are printable text/,
	);
	t.false(existsSync(target), 'no config written');
});

test('a port that cannot be opened gets the monitor\'s error: exit 1, the path, "No device at that path"', async (t) => {
	const dir = temporaryDirectory(t, 'init-no-port');
	const missing = join(dir, 'no-such-tty');
	const result = await runCli([
		'init',
		join(dir, 'config.yaml'),
		'--from-port',
		missing,
	]);
	t.is(result.code, 1, `${result.stderr}`);
	t.regex(result.stderr, /Cannot open serial port .*no-such-tty/);
	t.regex(result.stderr, /No device at that path/);
	t.false(existsSync(join(dir, 'config.yaml')));
});

test('an existing file is left as it is (exit 2, before any listening), and replaced with --force', async (t) => {
	const dir = temporaryDirectory(t, 'init-overwrite');
	const target = join(dir, 'config.yaml');
	const capture = join(dir, 'capture.txt');
	writeFileSync(
		capture,
		Array.from(
			{length: 40},
			(_, n) => `temp:${20 + n / 10},hum:${50 + (n % 7)}\r\n`,
		).join(''),
	);
	writeFileSync(target, 'mine\n');
	const refused = await runCli(['init', target, '--from-file', capture]);
	t.is(refused.code, 2, `${refused.stderr}`);
	t.regex(refused.stderr, /already exists; it was left as it is.*--force/);
	t.is(readFileSync(target, 'utf8'), 'mine\n');
	// Refused before the port is opened: a port that does not exist is never reached.
	const refusedPort = await runCli([
		'init',
		target,
		'--from-port',
		join(dir, 'no-such-tty'),
	]);
	t.is(refusedPort.code, 2, `${refusedPort.stderr}`);
	t.regex(refusedPort.stderr, /already exists/);
	t.is(readFileSync(target, 'utf8'), 'mine\n');

	const forced = await runCli([
		'init',
		target,
		'--from-file',
		capture,
		'--force',
	]);
	t.is(forced.code, 0, `${forced.stderr}`);
	const config = parseConfig(readFileSync(target, 'utf8'), target);
	t.deepEqual(
		deviceProfile(config).fields.map((field) => field.key),
		['temp', 'hum'],
	);
	t.regex(forced.stdout, /40 of 40 lines matched \(pairs\)/);
});

test('--from-file on a raw.log reads its lines without their time stamps', async (t) => {
	const dir = temporaryDirectory(t, 'init-raw-log');
	const rawLog = join(dir, 'raw.log');
	writeFileSync(
		rawLog,
		Array.from(
			{length: 30},
			(_, n) =>
				`2026-01-01T00:00:${String(n).padStart(2, '0')}.000Z\t{"t":${20 + n / 10},"env":{"h":${40 + n}}}\n`,
		).join(''),
	);
	const target = join(dir, 'out.yaml');
	const result = await runCli(['init', target, '--from-file', rawLog]);
	t.is(result.code, 0, `${result.stderr}`);
	t.regex(result.stdout, /30 of 30 lines matched \(json\)/);
	const config = parseConfig(readFileSync(target, 'utf8'), target);
	t.deepEqual(
		deviceProfile(config).fields.map((field) => field.key),
		['t', 'env.h'],
	);
});
