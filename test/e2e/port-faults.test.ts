// A port that vanishes while the monitor runs (socat killed, as a USB unplug): the monitor
// keeps running, raises HEARTBEAT_LOSS, reopens the port when it is back, and loses nothing.
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
import {startCli, stopOnTeardown} from '../helpers/cli.js';
import {readJson} from '../helpers/json.js';
import {requireSocat} from '../helpers/socat.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {linesOf, waitUntil} from '../helpers/wait-until.js';

async function send(path: string, lines: string[]) {
	const port = new SerialPort({path, baudRate: 115_200, autoOpen: false});
	await openPort(port);
	await writeAll(port, lines.map((line) => `${line}\n`).join(''));
	await closePort(port);
}

test('port lost and back: heartbeat loss fires and resolves, the monitor reconnects, every line is on disk', async (t) => {
	if (!requireSocat(t)) {
		return;
	}

	const dir = temporaryDirectory(t, 'faults');
	const device = join(dir, 'device-tty');
	const monitorSide = join(dir, 'monitor-tty');
	const config = join(dir, 'config.yaml');
	writeFileSync(
		config,
		`serial:\n  port: ${monitorSide}\n  reconnect_interval_s: 0.2\noutput:\n  dir: ${join(dir, 'data')}\nthresholds:\n  heartbeat_timeout_s: 1\n`,
	);
	const rawLog = join(dir, 'data', 'raw.log');
	let pair = await createVirtualPair(device, monitorSide);
	const monitor = stopOnTeardown(
		t,
		startCli(['--config', config, '--headless']),
	);
	try {
		await monitor.waitFor(/listening on/);
		await send(device, ['T:25.0,V:5.0,S:NORMAL', 'T:25.1,V:5.0,S:NORMAL']);
		// What socat still holds is lost with it, as bytes in a USB adapter are: pull the
		// cable only once the monitor has the lines.
		await waitUntil(
			() =>
				existsSync(rawLog) &&
				linesOf(readFileSync(rawLog, 'utf8')).length === 2,
			'the monitor has logged both lines',
		);
		await pair.close();
		await monitor.waitFor(/lost .*monitor-tty.*retrying every 0\.2 s/);
		await monitor.waitFor(
			/"event":"fired","at":"[^"]+","timestamp":"[^"]+","type":"HEARTBEAT_LOSS"/,
		);

		pair = await createVirtualPair(device, monitorSide);
		await monitor.waitFor(/listening on[^]*listening on/);
		await send(device, ['T:25.2,V:5.0,S:NORMAL']);
		await monitor.waitFor(
			/"event":"resolved","at":"[^"]+","timestamp":"[^"]+","type":"HEARTBEAT_LOSS"/,
		);
		monitor.child.kill('SIGINT');
		t.is(await monitor.exited, 0, `${monitor.stderr()}`);

		const raw = readFileSync(join(dir, 'data', 'raw.log'), 'utf8')
			.trim()
			.split('\n');
		t.deepEqual(
			raw.map((line) => line.split('\t')[1]),
			[
				'T:25.0,V:5.0,S:NORMAL',
				'T:25.1,V:5.0,S:NORMAL',
				'T:25.2,V:5.0,S:NORMAL',
			],
		);
		const report = readJson<
			Array<{
				type: string;
				first_line: number;
				last_line: number;
				end: string | undefined;
			}>
		>(join(dir, 'data', 'anomaly_report.json'));
		t.like(
			report.find((entry) => entry.type === 'HEARTBEAT_LOSS'),
			{first_line: 2, last_line: 3},
		);
		t.true(report.every((entry) => entry.end !== null));
	} finally {
		monitor.child.kill('SIGKILL');
		await pair.close();
	}
});

test('bytes after the last newline are in raw.log after a stop, with the time they arrived', async (t) => {
	if (!requireSocat(t)) {
		return;
	}

	const dir = temporaryDirectory(t, 'partial');
	const device = join(dir, 'device-tty');
	const monitorSide = join(dir, 'monitor-tty');
	const out = join(dir, 'data');
	const pair = await createVirtualPair(device, monitorSide);
	t.teardown(async () => pair.close());
	const monitor = stopOnTeardown(
		t,
		startCli(['--port', monitorSide, '--out', out, '--headless']),
	);
	await monitor.waitFor(/listening on/);
	const port = new SerialPort({
		path: device,
		baudRate: 115_200,
		autoOpen: false,
	});
	await openPort(port);
	await writeAll(port, 'T:25.0,V:5.0,S:NORMAL\nT:25.1,V:5');
	await closePort(port);
	const rawLog = join(out, 'raw.log');
	await waitUntil(
		() =>
			existsSync(rawLog) && linesOf(readFileSync(rawLog, 'utf8')).length === 1,
		'the monitor has logged the complete line',
	);
	// The partial line's bytes have reached the monitor by now (same write); give it a moment.
	await new Promise((resolve) => {
		setTimeout(resolve, 300);
	});
	const before = Date.now();
	monitor.child.kill('SIGINT');
	t.is(await monitor.exited, 0, `${monitor.stderr()}`);
	const raw = linesOf(readFileSync(rawLog, 'utf8'));
	t.is(raw.length, 2);
	t.is(raw[1]!.split('\t')[1], 'T:25.1,V:5');
	t.true(
		Date.parse(raw[1]!.split('\t')[0]!) < before,
		'stamped on arrival, not at the stop',
	);
	t.regex(
		readFileSync(join(out, 'parser_errors.log'), 'utf8'),
		/\tmissing S\tT:25\.1,V:5\t2\n$/,
	);
});
