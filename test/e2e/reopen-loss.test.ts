// Bytes a device sends while the monitor is re-opening its port are lost, and this
// measures how many: serialport's open throws away whatever the tty holds
// (tcflush(TCIOFLUSH) in @serialport/bindings-cpp's serialport_unix.cpp), and a PTY pair
// holds what the device wrote before the monitor's next retry. From the moment the monitor
// says "listening" again nothing is lost, and the lines that do arrive are the device's
// last ones in order, never reordered or glued to each other.
import {Buffer} from 'node:buffer';
import {readFileSync} from 'node:fs';
import {setTimeout as delay} from 'node:timers/promises';
import test from 'ava';
import {SerialPort} from 'serialport';
import {
	closePort,
	openPort,
	writeAll,
} from '../../source/adapters/serial-port-io.js';
import {createVirtualPair} from '../../source/adapters/virtual-pair.js';
import {startCli, stopOnTeardown} from '../helpers/cli.js';
import {portWorkspace} from '../helpers/port-workspace.js';
import {requireSocat} from '../helpers/socat.js';
import {linesOf, waitUntil} from '../helpers/wait-until.js';

const lineEveryMs = 2;
const keepWritingMs = 1000;
const minLinesAfterListening = 100;

test('lines written while the monitor re-opens the port: those before its open are lost, none after', async (t) => {
	if (!requireSocat(t)) {
		return;
	}

	const {configPath, device, monitorSide, rawLog} = portWorkspace(
		t,
		'reopen-loss',
	);
	let pair = await createVirtualPair(device, monitorSide);
	t.teardown(async () => pair.close());
	const monitor = stopOnTeardown(
		t,
		startCli(['--headless', '--config', configPath]),
	);
	await monitor.waitFor(/listening on/);
	await pair.close();
	await monitor.waitFor(/lost /);

	// The device comes back and talks at once, as a rebooted one does.
	const restoredAt = performance.now();
	pair = await createVirtualPair(device, monitorSide);
	const port = new SerialPort({
		path: device,
		baudRate: 115_200,
		autoOpen: false,
	});
	await openPort(port);
	const reopen: {listeningAt?: number} = {};
	void monitor.waitFor(/listening on[^]*listening on/, 30_000).then(() => {
		reopen.listeningAt = performance.now();
	});
	const sent: Array<{text: string; at: number}> = [];
	// A second's worth and a hundred lines after "listening", whatever the machine's pace.
	const afterListening = () =>
		sent.filter(({at}) => at > reopen.listeningAt!).length;
	while (
		reopen.listeningAt === undefined ||
		performance.now() - reopen.listeningAt < keepWritingMs ||
		afterListening() < minLinesAfterListening
	) {
		const text = `T:${(sent.length / 10).toFixed(1)},V:5.0,S:NORMAL`;
		sent.push({text, at: performance.now()});
		// eslint-disable-next-line no-await-in-loop -- one line at a time, as a device sends
		await writeAll(port, `${text}\n`);
		// eslint-disable-next-line no-await-in-loop
		await delay(lineEveryMs);
	}

	await closePort(port);
	const {listeningAt} = reopen;
	const firstAfterListening = sent.findIndex(({at}) => at > listeningAt);
	// Nothing after "listening" is lost, so the last line sent comes; what the monitor has
	// not read when it stops would be lost.
	const lastSent = sent.at(-1)!.text;
	await waitUntil(
		() =>
			linesOf(readFileSync(rawLog, 'latin1'))
				.at(-1)
				?.endsWith(`\t${lastSent}`) ?? false,
		'the last line written is in raw.log',
	);
	monitor.child.kill('SIGTERM');
	t.is(await monitor.exited, 0, `${monitor.stderr()}`);

	const received = linesOf(readFileSync(rawLog, 'latin1')).map((line) =>
		line.slice(line.indexOf('\t') + 1),
	);
	// Whole lines: the sent ones from some point on, in order. The first may be the tail of
	// a line whose head the flush took.
	const whole = received.filter((line) => sent.some(({text}) => text === line));
	const first = sent.findIndex(({text}) => text === whole[0]);
	t.deepEqual(
		whole,
		sent.slice(first).map(({text}) => text),
	);
	const fragments = received.filter((line) => !whole.includes(line));
	t.true(
		fragments.length === 0 ||
			(fragments.length === 1 &&
				fragments[0] === received[0] &&
				sent[first - 1]!.text.endsWith(fragments[0]!)),
		`${fragments.join(' | ')}`,
	);

	t.true(
		first <= firstAfterListening,
		'nothing written after "listening" is lost',
	);
	const lostBytes =
		Buffer.byteLength(
			sent
				.slice(0, first)
				.map(({text}) => `${text}\n`)
				.join(''),
		) - fragments.reduce((bytes, fragment) => bytes + fragment.length + 1, 0);
	t.log(
		`written before the monitor's reopen: ${firstAfterListening} lines over ${(listeningAt - restoredAt).toFixed(0)} ms; lost ${first} lines (${lostBytes} bytes), all written before "listening"`,
	);
});
