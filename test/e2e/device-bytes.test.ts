// What a badly configured or broken device sends, through a real PTY pair (socat) into
// `serialwatch --headless`: a 100 MB line with no newline, NUL bytes, lines ended by a CR
// alone, and UTF-16 text with a byte order mark (a Windows program's default). raw.log
// holds every byte as received; memory stays bounded; CR-only lines are readings; UTF-16 is
// named once on stderr, and each of its lines is one parse error that says so.
import {Buffer} from 'node:buffer';
import {closeSync, openSync, readFileSync, readSync, statSync} from 'node:fs';
import {join} from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {SerialPort} from 'serialport';
import {createVirtualPair} from '../../source/adapters/virtual-pair.js';
import {
	closePort,
	openPort,
	writeAll,
} from '../../source/adapters/serial-port-io.js';
import {utf16Reason} from '../../source/core/utf16-text.js';
import {startCli, stopOnTeardown, type Running} from '../helpers/cli.js';
import {canReadPeakRss, watchPeakRss} from '../helpers/peak-rss.js';
import {portWorkspace, type PortWorkspace} from '../helpers/port-workspace.js';
import {requireSocat} from '../helpers/socat.js';
import {linesOf, waitUntil} from '../helpers/wait-until.js';

const reading = 'T:25.0,V:5.0,S:NORMAL';
const endLine = 'T:26.0,V:5.0,S:NORMAL';
const stampLength = '2026-12-01T12:37:09.670Z\t'.length;
const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

function endsWith(path: string, suffix: string): boolean {
	let size = 0;
	try {
		size = statSync(path).size;
	} catch {
		return false;
	}

	if (size < suffix.length) {
		return false;
	}

	const fd = openSync(path, 'r');
	try {
		const tail = Buffer.alloc(suffix.length);
		readSync(fd, tail, 0, suffix.length, size - suffix.length);
		return tail.toString('latin1') === suffix;
	} finally {
		closeSync(fd);
	}
}

/** raw.log's lines without their time stamps, joined (latin1): what was received less the line ends. */
function rawLogPayload(workspace: PortWorkspace): string {
	const bytes = readFileSync(workspace.rawLog);
	const parts: Uint8Array[] = [];
	let start = 0;
	while (start < bytes.length) {
		const newline = bytes.indexOf(0x0a, start);
		parts.push(bytes.subarray(start + stampLength, newline));
		start = newline + 1;
	}

	return Buffer.concat(parts).toString('latin1');
}

/** The monitor on a fresh pair, the device's end open; both stopped at teardown. */
async function monitorAndDevice(
	t: ExecutionContext,
	prefix: string,
): Promise<{workspace: PortWorkspace; monitor: Running; device: SerialPort}> {
	const workspace = portWorkspace(t, prefix);
	const pair = await createVirtualPair(workspace.device, workspace.monitorSide);
	t.teardown(async () => pair.close());
	const monitor = stopOnTeardown(
		t,
		startCli(['--headless', '--config', workspace.configPath]),
	);
	await monitor.waitFor(/listening on/, 20_000);
	const device = new SerialPort({
		path: workspace.device,
		baudRate: 115_200,
		autoOpen: false,
	});
	await openPort(device);
	t.teardown(async () => {
		if (device.isOpen) {
			await closePort(device);
		}
	});
	return {workspace, monitor, device};
}

test.serial(
	'a 100 MB line with no newline: raw.log has every byte (cut every max_line_bytes), memory stays bounded, the line after it is a reading',
	async (t) => {
		t.timeout(300_000);
		if (!requireSocat(t)) {
			return;
		}

		const {workspace, monitor, device} = await monitorAndDevice(t, 'long-line');
		const memory = watchPeakRss(monitor.child.pid!);
		t.teardown(() => {
			memory.stop();
		});
		const size = 100 * 1024 * 1024;
		const chunk = Buffer.alloc(1024 * 1024, 'A');
		const started = performance.now();
		for (let sent = 0; sent < size; sent += chunk.length) {
			// eslint-disable-next-line no-await-in-loop -- one chunk at a time, as the port takes it
			await writeAll(device, chunk);
		}

		await writeAll(device, `\n${endLine}\n`);
		await waitUntil(
			() => endsWith(workspace.rawLog, `\t${endLine}\n`),
			'raw.log ends with the line after the long one',
			120_000,
		);
		const seconds = (performance.now() - started) / 1000;
		monitor.child.kill('SIGTERM');
		t.is(await monitor.exited, 0, `${monitor.stderr()}`);
		const peak = memory.stop();
		t.log(
			`100 MB line in raw.log after ${seconds.toFixed(1)} s; peak RSS ${peak === undefined ? 'not measured' : `${megabytes(peak)} MiB`}`,
		);
		t.true(
			!canReadPeakRss || (peak !== undefined && peak < 200 * 1024 * 1024),
			`peak RSS ${megabytes(peak ?? 0)} MiB`,
		);
		const payload = rawLogPayload(workspace);
		t.is(payload.length, size + endLine.length, 'every byte, none added');
		t.notRegex(payload.slice(0, size), /[^A]/, 'the long line, byte for byte');
		t.is(payload.slice(size), endLine);
		const csv = linesOf(
			readFileSync(join(workspace.data, 'structured_metrics.csv'), 'utf8'),
		);
		t.is(csv.length, 2, 'the line after the long one is a reading');
	},
);

test.serial(
	'NUL bytes, lines ended by a CR alone, and a UTF-16 device: raw.log has every byte, CR-only lines are readings, UTF-16 is said once on stderr and each of its lines is an error saying so',
	async (t) => {
		t.timeout(120_000);
		if (!requireSocat(t)) {
			return;
		}

		const {workspace, monitor, device} = await monitorAndDevice(t, 'bytes');
		const crOnly = Buffer.from(`${reading}\r`.repeat(100));
		const nul = Buffer.from(`\0\0\0\n${reading}\0\nT:25.0,V:5\0.0,S:NORMAL\n`);
		const utf16 = Buffer.concat([
			Buffer.from([0xff, 0xfe]),
			Buffer.from(`${reading}\r\n`.repeat(100), 'utf16le'),
		]);
		// The UTF-16 text ends on its LF's NUL: a line of ASCII after it ends the stream.
		const sent = Buffer.concat([
			crOnly,
			nul,
			utf16,
			Buffer.from(`\n${endLine}\n`),
		]);
		await writeAll(device, sent);
		await waitUntil(
			() => endsWith(workspace.rawLog, `\t${endLine}\n`),
			'raw.log ends with the last line sent',
			60_000,
		);
		monitor.child.kill('SIGTERM');
		t.is(await monitor.exited, 0, `${monitor.stderr()}`);

		t.deepEqual(
			rawLogPayload(workspace),
			sent.toString('latin1').replaceAll(/\r\n?|\n/g, ''),
			'raw.log holds every byte received, less the line ends',
		);
		const csv = linesOf(
			readFileSync(join(workspace.data, 'structured_metrics.csv'), 'utf8'),
		);
		t.is(csv.length - 1, 101, 'each CR-ended line is a reading, and the last');
		const errors = linesOf(
			readFileSync(join(workspace.data, 'parser_errors.log'), 'utf8'),
		).map((record) => record.split('\t'));
		const reasons = errors.map((record) => record[1]);
		t.is(
			reasons.filter((reason) => reason === utf16Reason).length,
			100,
			`${reasons.join('\n')}`,
		);
		const said = monitor
			.stderr()
			.split('\n')
			.filter((line) => line.includes('UTF-16'));
		t.is(said.length, 1, `${monitor.stderr()}`);
		t.regex(said[0] ?? '', /set it to send ASCII or UTF-8/);
	},
);
