// The dashboard's collector process (built, as it runs): however fast lines come, it
// publishes at most ui.max_fps snapshots a second, and never more than one the screen has
// not taken; a screen that goes away (even killed) leaves the files complete.
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {fork} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import test, {type ExecutionContext} from 'ava';
import type {
	FromCollector,
	ToCollector,
} from '../../source/app/collector-protocol.js';
import type {MonitorSnapshot} from '../../source/app/monitor-state.js';
import {demoCollectorInput} from '../helpers/demo-collector-input.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {linesOf, waitUntil} from '../helpers/wait-until.js';

const collectorPath = fileURLToPath(
	new URL('../../dist/app/collector-process.js', import.meta.url),
);

function startCollector(
	t: ExecutionContext,
	dir: string,
	/** readyInMs: what each ack says of when the screen can draw again. */
	options: {ack: boolean; readyInMs?: number},
) {
	const input = demoCollectorInput(dir, {rateHz: 1000, maxFps: 10});
	const child = fork(collectorPath, [], {
		serialization: 'advanced',
		stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
	});
	const send = (message: ToCollector) => {
		child.send(message);
	};

	let output = '';
	child.stderr!.setEncoding('utf8').on('data', (text: string) => {
		output += text;
	});
	const snapshots: MonitorSnapshot[] = [];
	// When each snapshot was taken here (its ack is sent at once after).
	const takenAt: number[] = [];
	const done = new Promise<{code: number; message: string}>((resolve) => {
		child.on('message', (message: FromCollector) => {
			if (message.type === 'state') {
				snapshots.push(message.snapshot);
				takenAt.push(performance.now());
				if (options.ack) {
					send(
						options.readyInMs === undefined
							? {type: 'ack'}
							: {type: 'ack', readyInMs: options.readyInMs},
					);
				}
			} else {
				resolve(message);
			}
		});
	});
	const exited = new Promise<number | null>((resolve) => {
		child.on('exit', (code) => {
			resolve(code);
		});
	});
	// A failed assertion must not leave the collector running.
	t.teardown(async () => {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGKILL');
			await exited;
		}
	});
	send({type: 'start', input});
	return {
		child,
		send,
		snapshots,
		takenAt,
		done,
		exited,
		output: () => output,
	};
}

const sleep = async (ms: number) =>
	new Promise((resolve) => {
		setTimeout(resolve, ms);
	});

async function waitForSnapshot(
	snapshots: readonly MonitorSnapshot[],
	withLines = true,
) {
	await waitUntil(
		() => snapshots.length > 0 && (!withLines || snapshots.at(-1)!.lines > 0),
		withLines ? 'a snapshot with lines' : 'a snapshot',
	);
}

test('at 1,000 lines/s the screen gets at most max_fps snapshots a second, not one per line', async (t) => {
	const dir = temporaryDirectory(t, 'collector');
	const {send, snapshots, done, exited} = startCollector(t, dir, {ack: true});
	// Counted from the first lines on: starting a process on a loaded machine takes a while.
	await waitForSnapshot(snapshots);
	const [before, linesBefore] = [snapshots.length, snapshots.at(-1)!.lines];
	const from = performance.now();
	// At least 3 s and 1,000 lines, however long a busy machine takes to bring them; a busy
	// machine only ever brings fewer snapshots in a second, never more.
	await waitUntil(
		() =>
			performance.now() - from >= 3000 &&
			snapshots.at(-1)!.lines - linesBefore > 1000 &&
			snapshots.length - before >= 5,
		'3 s, a thousand lines and five snapshots',
	);
	const seconds = (performance.now() - from) / 1000;
	const count = snapshots.length - before;
	const lines = snapshots.at(-1)!.lines - linesBefore;
	send({type: 'stop'});
	const result = await done;
	t.is(await exited, 0);
	t.is(result.code, 0, `${result.message}`);
	// 10 a second, the one in flight at the start (one at a time: each waits for its ack)
	// and a few more for timer slack.
	t.true(
		count <= Math.ceil(seconds * 10) + 3,
		`${count} snapshots in ${seconds.toFixed(1)} s for ${lines} lines`,
	);
});

test('a screen that says it draws again in 400 ms gets its next snapshot then, not sooner: at most 2.5 a second at 1,000 lines/s', async (t) => {
	const dir = temporaryDirectory(t, 'collector');
	const {send, snapshots, takenAt, done, exited} = startCollector(t, dir, {
		ack: true,
		readyInMs: 400,
	});
	await waitForSnapshot(snapshots);
	const before = snapshots.length;
	const from = performance.now();
	await waitUntil(
		() => performance.now() - from >= 3000 && snapshots.length - before >= 4,
		'3 s and four snapshots',
	);
	const seconds = (performance.now() - from) / 1000;
	const count = snapshots.length - before;
	send({type: 'stop'});
	const result = await done;
	t.is(await exited, 0);
	t.is(result.code, 0, `${result.message}`);
	// One per 400 ms at most (a busy machine brings fewer), and the one in flight.
	t.true(
		count <= Math.ceil(seconds * 2.5) + 1,
		`${count} snapshots in ${seconds.toFixed(1)} s`,
	);
	// Each is sent 400 ms after the ack of the one before, which went as that one was taken:
	// none is taken sooner, however busy the machine (timers may round by a millisecond).
	const gaps = takenAt
		.slice(1)
		.map((at, index) => Math.round(at - takenAt[index]!));
	t.true(Math.min(...gaps) >= 398, `gaps ${gaps.join(', ')} ms`);
});

test('a stop sent right after start, before the collector has even loaded (q in the first second), stops it: it was lost in the same read as start and the run went on', async (t) => {
	const dir = temporaryDirectory(t, 'collector');
	const {child, send, done, exited, output} = startCollector(t, dir, {
		ack: true,
	});
	// startCollector sent 'start'; 'stop' goes in the same tick, as a q pressed while the
	// collector process is still starting: both reach it in one read.
	send({type: 'stop'});
	let timer: NodeJS.Timeout | undefined;
	t.teardown(() => {
		clearTimeout(timer);
	});
	const result = await Promise.race([
		done,
		new Promise<{code: number; message: string}>((resolve) => {
			timer = setTimeout(() => {
				resolve({code: -1, message: 'no done in 60 s'});
			}, 60_000);
		}),
	]);
	t.is(result.code, 0, `${result.message}${output()}`);
	t.is(await exited, 0);
	t.is(child.exitCode, 0);
});

test('a screen that does not take its snapshots gets no more: nothing queues behind a stalled terminal', async (t) => {
	const dir = temporaryDirectory(t, 'collector');
	const {send, snapshots, done, exited} = startCollector(t, dir, {ack: false});
	await waitForSnapshot(snapshots, false);
	// Lines the first snapshot did not count have reached raw.log: the next one will.
	const rawLog = join(dir, 'data', 'raw.log');
	await waitUntil(
		() =>
			existsSync(rawLog) &&
			linesOf(readFileSync(rawLog, 'utf8')).length > snapshots[0]!.lines,
		'lines after the first snapshot',
	);
	await sleep(1500);
	t.is(snapshots.length, 1);
	send({type: 'ack'});
	await waitUntil(() => snapshots.length >= 2, 'a snapshot after the ack');
	await sleep(500);
	t.is(snapshots.length, 2, 'one more once the last was taken');
	t.true(snapshots[1]!.lines > snapshots[0]!.lines);
	send({type: 'stop'});
	const result = await done;
	t.is(result.code, 0);
	t.is(await exited, 0);
});

test('a screen that goes away (its channel closes, as when it is killed) stops the collector cleanly: files complete, report written, lock released', async (t) => {
	const dir = temporaryDirectory(t, 'collector');
	const {child, snapshots, exited, output} = startCollector(t, dir, {
		ack: true,
	});
	await waitForSnapshot(snapshots);
	const seen = snapshots.at(-1)!.lines;
	child.disconnect();
	const code = await exited;
	t.is(code, 0, `collector output: ${output()}`);
	const data = join(dir, 'data');
	const raw = readFileSync(join(data, 'raw.log'), 'utf8');
	t.true(raw.endsWith('\n'));
	t.true(
		raw.split('\n').length - 1 >= seen,
		'every line it had reported is in raw.log',
	);
	t.true(
		Array.isArray(
			JSON.parse(readFileSync(join(data, 'anomaly_report.json'), 'utf8')),
		),
	);
	t.false(existsSync(join(data, '.serialwatch.lock')));
});

test('SIGUSR1 sent to the collector itself writes the report and keeps it running', async (t) => {
	const dir = temporaryDirectory(t, 'collector');
	const {child, send, snapshots, done} = startCollector(t, dir, {ack: true});
	await waitForSnapshot(snapshots);
	const report = join(dir, 'data', 'anomaly_report.json');
	t.false(existsSync(report));
	child.kill('SIGUSR1');
	await waitUntil(
		() => (snapshots.at(-1)!.notice?.text ?? '').includes('report written'),
		'the report notice',
	);
	t.true(existsSync(report));
	send({type: 'stop'});
	const result = await done;
	t.is(result.code, 0);
});
