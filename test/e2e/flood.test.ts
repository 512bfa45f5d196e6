// Floods through a real PTY pair (socat) into `serialwatch --headless`: 200,000 device
// lines as fast as the port takes them, then 20 MB of garbage. Nothing received is lost,
// cut or merged, every line lands in exactly one of the CSV and the error log, replay
// rebuilds both byte for byte, and garbage neither grows the monitor's memory nor
// survives unescaped in the error log.
import {Buffer} from 'node:buffer';
import {once} from 'node:events';
import {closeSync, openSync, readFileSync, readSync, statSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {SerialPort} from 'serialport';
import {createScenario} from '../../source/core/emulator.js';
import {createVirtualPair} from '../../source/adapters/virtual-pair.js';
import {
	closePort,
	openPort,
	writeAll,
} from '../../source/adapters/serial-port-io.js';
import {startCli, stopOnTeardown, runCli} from '../helpers/cli.js';
import {garbageBytes, garbageEnd} from '../helpers/garbage-bytes.js';
import {readJson} from '../helpers/json.js';
import {canReadPeakRss, watchPeakRss} from '../helpers/peak-rss.js';
import {linesSent, portWorkspace} from '../helpers/port-workspace.js';
import {requireSocat} from '../helpers/socat.js';
import {unescapeBytes} from '../helpers/unescape-bytes.js';
import {waitUntil} from '../helpers/wait-until.js';

const floodLines = 200_000;
// The mixed scenario goes offline now and then for 1.2 to 2.2 heartbeat timeouts: 54
// silences in these 200,000 lines, 7.6 minutes at the default 5 s, about 9 s at 0.1 s.
const heartbeatTimeoutS = 0.1;
const garbageSize = 20 * 1024 * 1024;
const peakRssLimit = 150 * 1024 * 1024;
// `2026-12-01T12:37:09.670Z\t`
const stampPattern = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\t/;
const stampLength = '2026-12-01T12:37:09.670Z\t'.length;

type Report = Array<{
	type: string;
	end: string | null;
	first_line: number;
}>;

/** The lines of a file as bytes, terminators removed (a last line without one kept). */
function byteLines(bytes: Uint8Array): Uint8Array[] {
	const lines: Uint8Array[] = [];
	let start = 0;
	while (start < bytes.length) {
		const newline = bytes.indexOf(0x0a, start);
		const end = newline === -1 ? bytes.length : newline;
		lines.push(bytes.subarray(start, end));
		start = end + 1;
	}

	return lines;
}

function sizeOf(path: string): number {
	try {
		return statSync(path).size;
	} catch {
		return 0;
	}
}

function endsWith(path: string, suffix: string): boolean {
	const size = sizeOf(path);
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

const seconds = (since: number) => (performance.now() - since) / 1000;
const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

// One at a time: each keeps a core busy for tens of seconds, and two at once on a small
// machine would measure the machine, not the monitor.
test.serial(
	'200,000 mixed lines at full speed: all in raw.log, each in the CSV or the error log, replay byte-identical',
	async (t) => {
		t.timeout(300_000);
		if (!requireSocat(t)) {
			return;
		}

		const workspace = portWorkspace(t, 'flood', {
			sections: [
				'thresholds:',
				`  heartbeat_timeout_s: ${heartbeatTimeoutS}`,
			].join('\n'),
		});
		const pair = await createVirtualPair(
			workspace.device,
			workspace.monitorSide,
		);
		t.teardown(async () => pair.close());
		const monitor = stopOnTeardown(
			t,
			startCli(['--headless', '--config', workspace.configPath]),
		);
		await monitor.waitFor(/listening on/);

		const sent: Array<{text: string; valid: boolean}> = [];
		for (const step of createScenario(
			{name: 'mixed'},
			{
				seed: workspace.config.emulator.seed,
				heartbeatTimeoutS,
				thresholds: workspace.config.thresholds,
			},
		)) {
			if (sent.length === floodLines) {
				break;
			}

			if (step.kind === 'line') {
				sent.push({
					text: Buffer.from(step.bytes).toString('latin1'),
					valid: step.valid,
				});
			}
		}

		const started = performance.now();
		const emulator = stopOnTeardown(
			t,
			startCli([
				'emulate',
				'--config',
				workspace.configPath,
				'--port',
				workspace.device,
				'--scenario',
				'mixed',
				'--rate',
				'0',
				'--count',
				String(floodLines),
			]),
		);
		// 'close', not 'exit': stderr is read to its end.
		await once(emulator.child, 'close');
		t.is(emulator.child.exitCode, 0, `${emulator.stderr()}`);
		t.is(linesSent(emulator.stderr()), floodLines, `${emulator.stderr()}`);
		const sendSeconds = seconds(started);

		const rawSize = sent.reduce(
			(sum, {text}) => sum + stampLength + text.length + 1,
			0,
		);
		await waitUntil(
			() => sizeOf(workspace.rawLog) >= rawSize,
			'raw.log holds every line sent',
			60_000,
		);
		const receiveSeconds = seconds(started);
		monitor.child.kill('SIGTERM');
		t.is(await monitor.exited, 0, `${monitor.stderr()}`);
		t.log(
			`${floodLines} lines sent in ${sendSeconds.toFixed(1)} s, all in raw.log after ${receiveSeconds.toFixed(1)} s`,
		);

		const raw = byteLines(readFileSync(workspace.rawLog)).map((line) =>
			Buffer.from(line).toString('latin1'),
		);
		t.is(raw.length, floodLines, 'one raw.log line per line sent');
		const firstWrong = raw.findIndex(
			(line, index) =>
				!stampPattern.test(line) ||
				line.slice(stampLength) !== sent[index]?.text,
		);
		t.is(
			firstWrong,
			-1,
			`raw.log line ${firstWrong + 1} is ${JSON.stringify(raw[firstWrong])}, sent ${JSON.stringify(sent[firstWrong]?.text)}`,
		);

		const lineNumbers = (valid: boolean) =>
			sent.flatMap((line, index) => (line.valid === valid ? [index + 1] : []));
		const csvText = readFileSync(
			join(workspace.data, 'structured_metrics.csv'),
			'utf8',
		);
		const rows = csvText.split('\r\n').slice(1, -1);
		t.deepEqual(
			rows.map((row) => Number(row.slice(row.lastIndexOf(',') + 1))),
			lineNumbers(true),
			'a CSV row for each valid line, naming its raw.log line',
		);
		const errorsText = readFileSync(
			join(workspace.data, 'parser_errors.log'),
			'utf8',
		);
		const errors = errorsText.split('\n').slice(0, -1);
		t.deepEqual(
			errors.map((record) => Number(record.split('\t')[3])),
			lineNumbers(false),
			'an error record for each malformed line, naming its raw.log line',
		);
		t.is(rows.length + errors.length, raw.length);

		const replay = join(workspace.dir, 'replay');
		const replayStarted = performance.now();
		const replayed = await runCli([
			'replay',
			workspace.rawLog,
			'--config',
			workspace.configPath,
			'--out',
			replay,
		]);
		t.is(replayed.code, 0, `${replayed.stderr}`);
		t.log(`replay took ${seconds(replayStarted).toFixed(1)} s`);
		t.is(
			readFileSync(join(replay, 'structured_metrics.csv'), 'utf8'),
			csvText,
			'replay gives the same CSV, byte for byte',
		);
		t.is(
			readFileSync(join(replay, 'parser_errors.log'), 'utf8'),
			errorsText,
			'replay gives the same error log, byte for byte',
		);

		// The live monitor goes on after the last line until it is stopped: if that took longer
		// than the heartbeat timeout, it saw a silence that raw.log cannot show (no line ends
		// it), an open HEARTBEAT_LOSS after the last line. That one entry is all the reports
		// may differ by. (The parse-error rate, open to the end, falls back only a minute after
		// the last malformed line: the monitor is stopped long before.)
		const reportText = readFileSync(workspace.report, 'utf8');
		const replayText = readFileSync(
			join(replay, 'anomaly_report.json'),
			'utf8',
		);
		const live = readJson<Report>(reportText, {text: true});
		const liveOnly = live.filter(
			(entry) =>
				entry.type === 'HEARTBEAT_LOSS' &&
				entry.end === null &&
				entry.first_line === floodLines,
		);
		t.true(
			liveOnly.length <= 1,
			`${liveOnly.length} open silences after the last line`,
		);
		const shared = live.filter((entry) => !liveOnly.includes(entry));
		t.deepEqual(
			readJson<Report>(replayText, {text: true}),
			shared,
			'replay finds the same incidents, but for a silence after the last line',
		);
		t.is(
			replayText,
			liveOnly.length === 0
				? reportText
				: `${JSON.stringify(shared, null, 2)}\n`,
			'replay gives the same report, byte for byte',
		);
		t.log(
			liveOnly.length === 0
				? 'no silence after the last line: the reports are identical'
				: 'the live report ends with a silence after the last line',
		);
	},
);

test.serial(
	'20 MB of garbage: memory stays bounded, SIGTERM exits 0, every error record unescapes to its raw.log line',
	async (t) => {
		t.timeout(300_000);
		if (!requireSocat(t)) {
			return;
		}

		const workspace = portWorkspace(t, 'garbage');
		const pair = await createVirtualPair(
			workspace.device,
			workspace.monitorSide,
		);
		t.teardown(async () => pair.close());
		const monitor = stopOnTeardown(
			t,
			startCli(['--headless', '--config', workspace.configPath]),
		);
		// VmHWM (the kernel's own high-water mark), read until the monitor exits: the peak over
		// the whole run, its stop included but for the last 50 ms, where VmRSS samples could
		// miss a short spike.
		const memory = watchPeakRss(monitor.child.pid!);
		t.teardown(() => {
			memory.stop();
		});
		await monitor.waitFor(/listening on/);

		const garbage = garbageBytes(7, garbageSize);
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
		const started = performance.now();
		const chunkSize = 64 * 1024;
		for (let start = 0; start < garbage.length; start += chunkSize) {
			// eslint-disable-next-line no-await-in-loop -- one chunk at a time, as the port takes it
			await writeAll(device, garbage.subarray(start, start + chunkSize));
		}

		await waitUntil(
			() => endsWith(workspace.rawLog, `\t${garbageEnd}\n`),
			'raw.log ends with the last line sent',
			60_000,
		);
		const receiveSeconds = seconds(started);
		await closePort(device);
		monitor.child.kill('SIGTERM');
		t.is(await monitor.exited, 0, `${monitor.stderr()}`);
		const peak = memory.stop();
		t.log(
			`${megabytes(garbage.length)} MB in raw.log after ${receiveSeconds.toFixed(1)} s; peak RSS ${peak === undefined ? 'not measured' : `${megabytes(peak)} MB`}`,
		);
		// Elsewhere there is no /proc to read it from.
		t.true(
			!canReadPeakRss || (peak !== undefined && peak < peakRssLimit),
			`peak RSS ${megabytes(peak ?? Number.NaN)} MB, over ${megabytes(peakRssLimit)} MB`,
		);

		const raw = byteLines(readFileSync(workspace.rawLog));
		const firstMalformed = raw.findIndex(
			(line) => !stampPattern.test(Buffer.from(line).toString('latin1')),
		);
		t.is(
			firstMalformed,
			-1,
			`raw.log line ${firstMalformed + 1} has no time stamp`,
		);
		const payloads = raw.map((line) => line.subarray(stampLength));
		// Every byte arrived, in order: raw.log's lines joined are what was sent, less the
		// line ends (LF, CRLF, a lone CR; a line too long for max_line_bytes is cut into
		// several: joining undoes that).
		t.true(
			Buffer.concat(payloads).equals(
				Buffer.from(
					Buffer.from(garbage)
						.toString('latin1')
						.replaceAll(/\r\n?|\n/g, ''),
					'latin1',
				),
			),
			'raw.log holds every byte sent',
		);

		// fatal: a byte that is not UTF-8 must have been escaped.
		const errorsText = new TextDecoder('utf-8', {fatal: true}).decode(
			readFileSync(join(workspace.data, 'parser_errors.log')),
		);
		const errors = errorsText.split('\n').slice(0, -1);
		const rows = readFileSync(
			join(workspace.data, 'structured_metrics.csv'),
			'utf8',
		)
			.split('\r\n')
			.slice(1, -1);
		t.true(errors.length > 10_000, `${errors.length} error records`);
		t.log(
			`${raw.length} raw.log lines: ${errors.length} error records, ${rows.length} CSV rows`,
		);
		t.is(rows.length + errors.length, raw.length);

		// Records are long and mostly escapes: a problem names the record by its start.
		const problems: string[] = [];
		for (const record of errors) {
			const fields = record.split('\t');
			const line = Number(fields[3]);
			const escaped = fields[2] ?? '';
			const named = JSON.stringify(record.slice(0, 80));
			if (fields.length !== 4 || !Number.isInteger(line)) {
				problems.push(`not four fields: ${named}`);
				continue;
			}

			if (/[\p{Cc}\p{Cf}\u2028\u2029]/u.test(escaped)) {
				problems.push(`a control or format character left as is: ${named}`);
			}

			let bytes: Uint8Array;
			try {
				bytes = unescapeBytes(escaped);
			} catch (error) {
				problems.push(`${named}: ${String(error)}`);
				continue;
			}

			const payload = payloads[line - 1] ?? Uint8Array.of();
			if (!Buffer.from(bytes).equals(payload)) {
				const differsAt = bytes.findIndex(
					(byte, index) => byte !== payload[index],
				);
				problems.push(
					`${named} unescapes to ${bytes.length} bytes, raw.log line ${line} holds ${payload.length}; first difference at byte ${differsAt === -1 ? Math.min(bytes.length, payload.length) : differsAt}`,
				);
			}
		}

		t.deepEqual(problems.slice(0, 5), [], `${problems.length} records wrong`);
	},
);
