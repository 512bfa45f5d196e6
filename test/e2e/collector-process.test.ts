// The dashboard's worker (built, as it runs): however fast lines come, it publishes at
// most ui.max_fps snapshots a second, and never more than one the screen has not taken.
import {join} from 'node:path';
import {Worker} from 'node:worker_threads';
import test from 'ava';
import {defaultConfig, type Config} from '../../source/core/config.js';
import type {
	FromWorker,
	WorkerInput,
} from '../../source/app/dashboard-protocol.js';
import type {MonitorSnapshot} from '../../source/app/monitor-state.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';

const workerUrl = new URL(
	'../../dist/app/dashboard-worker.js',
	import.meta.url,
);

function startWorker(dir: string, options: {ack: boolean}) {
	const config: Config = {
		...defaultConfig,
		output: {...defaultConfig.output, dir: join(dir, 'data')},
		emulator: {...defaultConfig.emulator, rate_hz: 1000},
		ui: {...defaultConfig.ui, max_fps: 10},
	};
	const workerData: WorkerInput = {
		config,
		configPath: join(dir, 'config.yaml'),
		overrides: {},
		demo: true,
		durationS: undefined,
	};
	const worker = new Worker(workerUrl, {workerData});
	const snapshots: MonitorSnapshot[] = [];
	const done = new Promise<{code: number; message: string}>((resolve) => {
		worker.on('message', (message: FromWorker) => {
			if (message.type === 'state') {
				snapshots.push(message.snapshot);
				if (options.ack) {
					worker.postMessage({type: 'ack'});
				}
			} else {
				resolve(message);
			}
		});
	});
	return {worker, snapshots, done};
}

const sleep = async (ms: number) =>
	new Promise((resolve) => {
		setTimeout(resolve, ms);
	});

async function waitForSnapshot(
	snapshots: readonly MonitorSnapshot[],
	withLines = true,
) {
	const deadline = Date.now() + 30_000;
	const ready = () =>
		snapshots.length > 0 && (!withLines || snapshots.at(-1)!.lines > 0);
	while (!ready()) {
		if (Date.now() > deadline) {
			throw new Error('no snapshot with lines within 30 s');
		}

		// eslint-disable-next-line no-await-in-loop
		await sleep(20);
	}
}

test('at 1,000 lines/s the screen gets at most max_fps snapshots a second, not one per line', async (t) => {
	const dir = temporaryDirectory(t, 'worker');
	const {worker, snapshots, done} = startWorker(dir, {ack: true});
	// Counted from the first lines on: starting a worker on a loaded machine takes a while.
	await waitForSnapshot(snapshots);
	const [before, linesBefore] = [snapshots.length, snapshots.at(-1)!.lines];
	await sleep(3000);
	const count = snapshots.length - before;
	const lines = snapshots.at(-1)!.lines - linesBefore;
	worker.postMessage({type: 'stop'});
	const result = await done;
	await worker.terminate();
	t.is(result.code, 0, `${result.message}`);
	t.true(lines > 1000, `${lines} lines arrived`);
	// 3 s at 10 a second: a few more allowed for timer slack.
	t.true(count <= 33, `${count} snapshots for ${lines} lines`);
	t.true(count >= 5, `${count} snapshots: it does publish`);
});

test('a screen that does not take its snapshots gets no more: nothing queues behind a stalled terminal', async (t) => {
	const dir = temporaryDirectory(t, 'worker');
	const {worker, snapshots, done} = startWorker(dir, {ack: false});
	await waitForSnapshot(snapshots, false);
	await sleep(1500);
	t.is(snapshots.length, 1);
	worker.postMessage({type: 'ack'});
	await sleep(500);
	t.is(snapshots.length, 2, 'one more once the last was taken');
	t.true(snapshots[1]!.lines > snapshots[0]!.lines);
	worker.postMessage({type: 'stop'});
	const result = await done;
	t.is(result.code, 0);
	await worker.terminate();
});
