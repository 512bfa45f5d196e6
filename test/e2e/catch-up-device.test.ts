// A first start on a long raw.log (no checkpoint: the first start after an upgrade, or after
// .serialwatch/ was deleted) takes the whole history up before the run goes on. A device
// that keeps sending meanwhile must lose nothing: headless and in the dashboard's
// collector, every line sent from the moment the monitor says it listens (or that it is
// taking raw.log up) is in raw.log, in order, and in the CSV, which is what a replay of
// that raw.log gives. Whatever the machine's speed: the device writes a numbered sequence
// from before the start until after the catch-up is done.
import {
	closeSync,
	mkdirSync,
	openSync,
	readFileSync,
	readSync,
	statSync,
	writeSync,
} from 'node:fs';
import {Buffer} from 'node:buffer';
import {fork} from 'node:child_process';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import test, {type ExecutionContext} from 'ava';
import {SerialPort} from 'serialport';
import {openPort, closePort} from '../../source/adapters/serial-port-io.js';
import {createVirtualPair} from '../../source/adapters/virtual-pair.js';
import type {
	FromCollector,
	ToCollector,
} from '../../source/app/collector-protocol.js';
import type {MonitorSnapshot} from '../../source/app/monitor-state.js';
import {runCli, startCli, stopOnTeardown} from '../helpers/cli.js';
import {portWorkspace, type PortWorkspace} from '../helpers/port-workspace.js';
import {requireSocat} from '../helpers/socat.js';
import {linesOf, waitUntil} from '../helpers/wait-until.js';

const collectorPath = fileURLToPath(
	new URL('../../dist/app/collector-process.js', import.meta.url),
);

// About a second of take-up on a quiet machine, many on a busy one.
const historyLines = 1_000_000;
// Two lines every 10 ms: 200 lines/s.
const linesPerTick = 2;
const tickMs = 10;
// How long the device goes on once the catch-up is done.
const afterCatchUpMs = 1000;
// A busy machine takes many seconds to read a million lines.
const catchUpTimeoutMs = 180_000;

/** A raw.log of earlier runs: calm readings, one every 100 ms in 2020. Returns its size. */
function writeHistory(path: string): number {
	const start = Date.parse('2020-01-01T00:00:00.000Z');
	const fd = openSync(path, 'w');
	try {
		for (let from = 0; from < historyLines; from += 100_000) {
			let text = '';
			for (let index = from; index < from + 100_000; index++) {
				text += `${new Date(start + index * 100).toISOString()}\tT:${20 + (index % 5)}.0,V:5.0,S:NORMAL\n`;
			}

			writeSync(fd, text);
		}
	} finally {
		closeSync(fd);
	}

	return statSync(path).size;
}

const sequenceLine = (sequence: number) =>
	`T:20.0,V:5.${String(sequence).padStart(6, '0')},S:NORMAL`;
const sequencePattern = /^T:20\.0,V:5\.(\d{6}),S:NORMAL$/;

/** The device: a numbered line after another, until stopped. */
async function startDevice(t: ExecutionContext, path: string) {
	const port = new SerialPort({path, baudRate: 115_200, autoOpen: false});
	await openPort(port);
	let next = 0;
	let failure: Error | undefined;
	const timer = setInterval(() => {
		let text = '';
		for (let index = 0; index < linesPerTick; index++) {
			text += `${sequenceLine(next++)}\n`;
		}

		port.write(text, (error) => {
			failure ??= error ?? undefined;
		});
	}, tickMs);
	let stopped = false;
	const stop = async () => {
		if (!stopped) {
			stopped = true;
			clearInterval(timer);
			await new Promise((resolve) => {
				port.drain(resolve);
			});
			await closePort(port).catch(() => undefined);
		}

		return next - 1;
	};

	t.teardown(stop);
	return {
		/** The number the next line written will carry. */
		next: () => next,
		stop,
		failure: () => failure,
	};
}

/** raw.log's lines after the history: [time, the bytes after the stamp]. */
function newRawLines(workspace: PortWorkspace, historyBytes: number) {
	const fd = openSync(workspace.rawLog, 'r');
	try {
		const {size} = statSync(workspace.rawLog);
		const buffer = Buffer.alloc(size - historyBytes);
		readSync(fd, buffer, 0, buffer.length, historyBytes);
		return linesOf(buffer.toString('latin1')).map((line) => {
			const tab = line.indexOf('\t');
			return {time: Date.parse(line.slice(0, tab)), text: line.slice(tab + 1)};
		});
	} finally {
		closeSync(fd);
	}
}

/** A numbered line from raw.log's tail, or -1 (a partial first line, say). */
const sequenceOf = (text: string) => {
	const match = sequencePattern.exec(text);
	return match ? Number(match[1]) : -1;
};

async function prepare(t: ExecutionContext, prefix: string) {
	const workspace = portWorkspace(t, prefix);
	mkdirSync(workspace.data, {recursive: true});
	const historyBytes = writeHistory(workspace.rawLog);
	const pair = await createVirtualPair(workspace.device, workspace.monitorSide);
	t.teardown(async () => pair.close());
	const device = await startDevice(t, workspace.device);
	return {workspace, historyBytes, device};
}

/** What must hold after the run: nothing sent from `keptFrom` on is missing, and the CSV is what a replay gives. */
async function checkKept(
	t: ExecutionContext,
	options: {
		workspace: PortWorkspace;
		historyBytes: number;
		keptFrom: number;
		last: number;
		startedAt: number;
	},
) {
	const {workspace, historyBytes, keptFrom, last} = options;
	const lines = newRawLines(workspace, historyBytes);
	const sequences = lines.map(({text}) => sequenceOf(text));
	const from = sequences.indexOf(keptFrom);
	t.true(
		from !== -1,
		`line ${keptFrom}, sent after the monitor said it listens or takes raw.log up, is in raw.log (it has ${sequences.length} new lines, from ${sequences.find((sequence) => sequence >= 0)} to ${sequences.at(-1)})`,
	);
	const kept = sequences.slice(from);
	const expected = Array.from(
		{length: last - keptFrom + 1},
		(_, index) => keptFrom + index,
	);
	const missing = expected.length - kept.length;
	t.deepEqual(
		kept,
		expected,
		`every line sent from ${keptFrom} to ${last} is in raw.log once, in order (${missing} missing)`,
	);
	// Stamped as they arrived: in order, during the run.
	const times = lines.map(({time}) => time);
	t.true(
		times.every(
			(time, index) =>
				time >= options.startedAt - 1000 &&
				time <= Date.now() &&
				(index === 0 || time >= times[index - 1]!),
		),
		'the new lines are stamped in arrival order, during the run',
	);

	// The CSV has every reading, as a replay of the raw.log rebuilds it.
	const replayDir = join(workspace.dir, 'replay');
	const replayed = await runCli([
		'replay',
		workspace.rawLog,
		'--config',
		workspace.configPath,
		'--out',
		replayDir,
	]);
	t.is(replayed.code, 0, replayed.stderr);
	const csv = readFileSync(
		join(workspace.data, 'structured_metrics.csv'),
		'latin1',
	);
	const replayedCsv = readFileSync(
		join(replayDir, 'structured_metrics.csv'),
		'latin1',
	);
	const csvLines = linesOf(csv);
	t.is(
		csvLines.length,
		linesOf(replayedCsv).length,
		'the CSV has as many rows as the replay’s',
	);
	t.true(csv === replayedCsv, 'the CSV is byte for byte the replay’s');
	t.true(
		csvLines.at(-1)?.includes(`5.${String(last).padStart(6, '0')}`),
		`the CSV ends with line ${last}: ${csvLines.at(-1)}`,
	);
}

test.serial(
	'headless: the device’s lines during a first start’s catch-up of 1M lines are all in raw.log and the CSV',
	async (t) => {
		t.timeout(600_000);
		if (!requireSocat(t)) {
			return;
		}

		const {workspace, historyBytes, device} = await prepare(t, 'catch-up-dev');
		const startedAt = Date.now();
		const monitor = stopOnTeardown(
			t,
			startCli(['--headless', '--config', workspace.configPath]),
		);
		// From whichever it says first: it listens, or it takes raw.log up.
		await monitor.waitFor(
			/listening on |taking up \d+ earlier lines/,
			catchUpTimeoutMs,
		);
		const keptFrom = device.next();
		await monitor.waitFor(/took up \d+ earlier lines/, catchUpTimeoutMs);
		await new Promise((resolve) => {
			setTimeout(resolve, afterCatchUpMs);
		});
		const last = await device.stop();
		t.is(device.failure(), undefined);
		await waitUntil(
			() =>
				newRawLines(workspace, historyBytes).some(
					({text}) => sequenceOf(text) === last,
				),
			`raw.log has line ${last}`,
			60_000,
		);
		monitor.child.kill('SIGTERM');
		t.is(await monitor.exited, 0, `${monitor.stderr()}`);
		await checkKept(t, {workspace, historyBytes, keptFrom, last, startedAt});
		const stderr = monitor.stderr();
		t.true(
			stderr.indexOf('listening on') < stderr.search(/took up \d+ earlier/),
			`the port opened before the catch-up ended:\n${stderr}`,
		);
	},
);

test.serial(
	'dashboard collector: the device’s lines during a first start’s catch-up of 1M lines are all in raw.log and the CSV',
	async (t) => {
		t.timeout(600_000);
		if (!requireSocat(t)) {
			return;
		}

		const {workspace, historyBytes, device} = await prepare(t, 'catch-up-col');
		const startedAt = Date.now();
		const child = fork(collectorPath, [], {
			serialization: 'advanced',
			stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
		});
		const exited = new Promise<number | null>((resolve) => {
			child.on('exit', resolve);
		});
		t.teardown(async () => {
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGKILL');
				await exited;
			}
		});
		let output = '';
		child.stderr!.setEncoding('utf8').on('data', (text: string) => {
			output += text;
		});
		const send = (message: ToCollector) => {
			child.send(message);
		};

		let keptFrom: number | undefined;
		let last: MonitorSnapshot | undefined;
		const notices: string[] = [];
		const done = new Promise<{code: number; message: string}>((resolve) => {
			child.on('message', (message: FromCollector) => {
				if (message.type === 'state') {
					last = message.snapshot;
					const notice = last.notice?.text;
					if (notice && notices.at(-1) !== notice) {
						notices.push(notice);
					}

					if (
						keptFrom === undefined &&
						(last.connection.state === 'connected' ||
							/taking up \d+ earlier lines/.test(notice ?? ''))
					) {
						keptFrom = device.next();
					}

					send({type: 'ack'});
				} else {
					resolve(message);
				}
			});
		});
		send({
			type: 'start',
			input: {
				config: workspace.config,
				configPath: workspace.configPath,
				configSource: 'file',
				overrides: {},
				demo: false,
				durationS: undefined,
			},
		});
		// Caught up: the live pipeline counts lines only after the history.
		await waitUntil(
			() => (last?.lines ?? 0) > 0,
			`the collector counts live lines (notices: ${notices.join(' | ')}; ${output})`,
			catchUpTimeoutMs,
		);
		t.true(
			notices.some((notice) => /taking up|took up/.test(notice)),
			`${notices.join(' | ')}`,
		);
		await new Promise((resolve) => {
			setTimeout(resolve, afterCatchUpMs);
		});
		const lastSent = await device.stop();
		t.is(device.failure(), undefined);
		await waitUntil(
			() =>
				newRawLines(workspace, historyBytes).some(
					({text}) => sequenceOf(text) === lastSent,
				),
			`raw.log has line ${lastSent}`,
			60_000,
		);
		send({type: 'stop'});
		const result = await done;
		t.is(result.code, 0, `${result.message}`);
		t.is(await exited, 0, `${output}`);
		await checkKept(t, {
			workspace,
			historyBytes,
			keptFrom: keptFrom!,
			last: lastSent,
			startedAt,
		});
	},
);

for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
	test.serial(
		`${signal} during a first start’s catch-up while the device sends: every line received is in raw.log, and the next start takes it up into the CSV as a replay does`,
		async (t) => {
			t.timeout(600_000);
			if (!requireSocat(t)) {
				return;
			}

			const {workspace, historyBytes, device} = await prepare(
				t,
				`catch-up-${signal}`,
			);
			const startedAt = Date.now();
			const first = stopOnTeardown(
				t,
				startCli(['--headless', '--config', workspace.configPath]),
			);
			await first.waitFor(
				/listening on |taking up \d+ earlier lines/,
				catchUpTimeoutMs,
			);
			const keptFrom = device.next();
			// A quarter of a second of lines, well within a million lines' take-up.
			await waitUntil(
				() =>
					newRawLines(workspace, historyBytes).some(
						({text}) => sequenceOf(text) >= keptFrom + 50,
					),
				`raw.log has line ${keptFrom + 50}`,
				catchUpTimeoutMs,
			);
			first.child.kill(signal);
			await first.exited;
			t.log(
				/took up \d+ earlier lines/.test(first.stderr())
					? 'the signal came after the catch-up'
					: 'the signal came during the catch-up',
			);
			await device.stop();
			const received = newRawLines(workspace, historyBytes).map(({text}) =>
				sequenceOf(text),
			);
			const last = received.at(-1)!;
			t.true(last >= keptFrom + 50);

			// The next start takes all of raw.log up again (no checkpoint was saved).
			const second = stopOnTeardown(
				t,
				startCli(['--headless', '--config', workspace.configPath]),
			);
			await second.waitFor(/took up \d+ earlier lines/, catchUpTimeoutMs);
			second.child.kill('SIGTERM');
			t.is(await second.exited, 0, `${second.stderr()}`);
			await checkKept(t, {workspace, historyBytes, keptFrom, last, startedAt});
		},
	);
}
