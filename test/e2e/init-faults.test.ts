// `serialwatch init --from-port/--from-file` where it must refuse: garbage on a real port
// (said plainly, with the baud rate tried and the share of printable bytes, and no file
// written), a port that cannot be opened (the monitor's own error), an existing file (left
// as it is unless --force), a disk that refuses the write (no part of a config left); and a
// raw.log read without its time stamps.
import {execFile} from 'node:child_process';
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import process from 'node:process';
import test from 'ava';
import {SerialPort} from 'serialport';
import {inspectorGuard} from '../../source/adapters/inspector-guard.js';
import {
	closePort,
	openPort,
	writeAll,
} from '../../source/adapters/serial-port-io.js';
import {createVirtualPair} from '../../source/adapters/virtual-pair.js';
import {deviceProfile, parseConfig} from '../../source/core/config.js';
import {cliPath, runCli, startCli, stopOnTeardown} from '../helpers/cli.js';
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
	// Closed with a write or read still pending (init gone, nobody draining the pair): the
	// port reports it canceled, an 'error' event that would be an uncaught exception here.
	port.on('error', () => undefined);
	await openPort(port);
	t.teardown(async () => closePort(port).catch(() => undefined));
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

/** 40 lines of a two-field pairs device, as a capture file. */
function writeCapture(path: string): void {
	writeFileSync(
		path,
		Array.from(
			{length: 40},
			(_, n) => `temp:${20 + n / 10},hum:${50 + (n % 7)}\r\n`,
		).join(''),
	);
}

test('an existing file is left as it is (exit 2, before any listening), and replaced with --force', async (t) => {
	const dir = temporaryDirectory(t, 'init-overwrite');
	const target = join(dir, 'config.yaml');
	const capture = join(dir, 'capture.txt');
	writeCapture(capture);
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

/** `serialwatch ARGS` under a file size limit of 2 KiB (bash's `ulimit -f 2`): writes past it fail with EFBIG. */
async function runWithFileSizeLimit(
	args: string[],
	cwd: string,
): Promise<{code: number | null; stderr: string}> {
	return new Promise((resolve) => {
		execFile(
			'bash',
			[
				'-c',
				'ulimit -f 2 && exec "$@"',
				'bash',
				process.execPath,
				inspectorGuard,
				cliPath,
				...args,
			],
			// Killed if it ever hangs; it takes well under a second.
			{cwd, timeout: 60_000},
			(error, _stdout, stderr) => {
				resolve({
					code: error
						? typeof error.code === 'number'
							? error.code
							: null
						: 0,
					stderr,
				});
			},
		);
	});
}

test('a write the disk refuses leaves no part of CONFIG: not created, or the old one whole under --force; the error names the file and the fix', async (t) => {
	const dir = temporaryDirectory(t, 'init-refused-write');
	const capture = join(dir, 'capture.txt');
	writeCapture(capture);
	// The config init writes is several KiB, past the 2 KiB limit: its write fails part way.
	const fresh = await runWithFileSizeLimit(
		['init', 'config.yaml', '--from-file', capture],
		dir,
	);
	t.is(fresh.code, 1, `${fresh.stderr}`);
	t.regex(
		fresh.stderr,
		/cannot write config\.yaml: EFBIG.*; config\.yaml was not created\. Free some space/,
	);
	t.false(existsSync(join(dir, 'config.yaml')), 'no part of a config is left');

	writeFileSync(join(dir, 'config.yaml'), 'mine\n');
	const forced = await runWithFileSizeLimit(
		['init', 'config.yaml', '--from-file', capture, '--force'],
		dir,
	);
	t.is(forced.code, 1, `${forced.stderr}`);
	t.regex(
		forced.stderr,
		/cannot write config\.yaml: EFBIG.*; config\.yaml is as it was/,
	);
	t.is(readFileSync(join(dir, 'config.yaml'), 'utf8'), 'mine\n');
	// No temporary file is left beside it either.
	t.deepEqual(readdirSync(dir).toSorted(), ['capture.txt', 'config.yaml']);

	// Plain `init` (the defaults, no device) writes through the same path.
	const defaults = await runWithFileSizeLimit(['init', 'other.yaml'], dir);
	t.is(defaults.code, 1, `${defaults.stderr}`);
	t.false(existsSync(join(dir, 'other.yaml')));
	t.deepEqual(readdirSync(dir).toSorted(), ['capture.txt', 'config.yaml']);
});
