// The collector as a function of its channel, without a process: what it publishes, what
// it does with the screen's messages, and how it ends.
import {EventEmitter} from 'node:events';
import {existsSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {runCollector} from '../../source/app/collector.js';
import {openProcessChannel} from '../../source/app/collector-channel.js';
import type {
	CollectorChannel,
	FromCollector,
	ToCollector,
} from '../../source/app/collector-protocol.js';
import {demoCollectorInput} from '../helpers/demo-collector-input.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {waitUntil} from '../helpers/wait-until.js';

const inputFor = (dir: string) =>
	demoCollectorInput(dir, {rateHz: 200, maxFps: 20});

/** A screen in memory: it takes every snapshot at once. */
function memoryChannel() {
	const sent: FromCollector[] = [];
	let listener: ((message: ToCollector) => void) | undefined;
	let onDisconnect: (() => void) | undefined;
	const channel: CollectorChannel = {
		send(message) {
			sent.push(message);
			if (message.type === 'state') {
				queueMicrotask(() => listener?.({type: 'ack'}));
			}
		},
		onMessage(next) {
			listener = next;
		},
		onDisconnect(next) {
			onDisconnect = next;
		},
	};
	return {
		channel,
		sent,
		press(message: ToCollector) {
			listener?.(message);
		},
		disconnect() {
			onDisconnect?.();
		},
		snapshots: () =>
			sent.flatMap((m) => (m.type === 'state' ? [m.snapshot] : [])),
	};
}

function start(dir: string) {
	const screen = memoryChannel();
	const running = runCollector(
		inputFor(dir),
		screen.channel,
		new AbortController().signal,
	);
	return {screen, running};
}

test('it publishes snapshots, writes the report when asked, and ends with done once told to stop', async (t) => {
	const dir = temporaryDirectory(t, 'collector');
	const {screen, running} = start(dir);
	await waitUntil(
		() => (screen.snapshots().at(-1)?.lines ?? 0) > 20,
		'snapshots with lines',
	);
	screen.press({type: 'report'});
	// Written a slice at a time, between other work.
	await waitUntil(
		() => existsSync(join(dir, 'data', 'anomaly_report.json')),
		'the report is written',
	);
	screen.press({type: 'stop'});
	await running;
	const done = screen.sent.at(-1);
	t.is(done?.type, 'done');
	t.like(done, {code: 0});
	t.regex(done?.type === 'done' ? done.message : '', /lines \(\d+ valid/);
	t.false(existsSync(join(dir, 'data', '.serialwatch.lock')));
});

test('a screen that goes away stops it as a signal would', async (t) => {
	const dir = temporaryDirectory(t, 'collector');
	const {screen, running} = start(dir);
	await waitUntil(
		() => (screen.snapshots().at(-1)?.lines ?? 0) > 0,
		'the first lines',
	);
	screen.disconnect();
	await running;
	t.like(screen.sent.at(-1), {type: 'done', code: 0});
	t.true(existsSync(join(dir, 'data', 'anomaly_report.json')));
});

test('an output dir it cannot use ends it with code 1 and the reason', async (t) => {
	const dir = temporaryDirectory(t, 'collector');
	const input = inputFor(dir);
	input.config = {
		...input.config,
		output: {...input.config.output, dir: '/proc/serialwatch-cannot-be-here'},
	};
	const screen = memoryChannel();
	await runCollector(input, screen.channel, new AbortController().signal);
	const done = screen.sent.at(-1);
	t.like(done, {type: 'done', code: 1});
	t.regex(
		done?.type === 'done' ? done.message : '',
		/cannot write the output files in \/proc/,
	);
});

// eslint-disable-next-line unicorn/prefer-event-target -- it stands for a process, an EventEmitter
class FakeIpc extends EventEmitter {
	connected = true;
	readonly sent: unknown[] = [];

	send(
		message: unknown,
		_handle: unknown,
		_options: unknown,
		callback: () => void,
	) {
		this.sent.push(message);
		setImmediate(callback);
		return true;
	}
}

test('the process channel waits for start, keeps keys that come before the collector listens, and goes quiet once disconnected', async (t) => {
	const ipc = new FakeIpc();
	// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- the parts of a process the channel uses
	const opening = openProcessChannel(ipc as unknown as NodeJS.Process);
	ipc.emit('message', {type: 'report'});
	const input = inputFor('/tmp/unused');
	ipc.emit('message', {type: 'start', input});
	const {channel, input: received, flushed} = await opening;
	t.deepEqual(received, input);
	ipc.emit('message', {type: 'stop'});
	const messages: ToCollector[] = [];
	channel.onMessage((message) => {
		messages.push(message);
	});
	t.deepEqual(messages, [{type: 'stop'}], 'a key before start is not a key');
	channel.send({type: 'done', code: 0, message: ''});
	await flushed();
	t.is(ipc.sent.length, 1);
	let disconnected = false;
	channel.onDisconnect(() => {
		disconnected = true;
	});
	ipc.connected = false;
	ipc.emit('disconnect');
	t.true(disconnected);
	channel.send({type: 'done', code: 0, message: ''});
	t.is(ipc.sent.length, 1, 'nothing is sent to a screen that is gone');
});
