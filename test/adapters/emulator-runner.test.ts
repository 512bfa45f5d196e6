import {setTimeout as delay} from 'node:timers/promises';
import test from 'ava';
import {SerialPortMock} from 'serialport';
import {
	runEmulator,
	serialPortSink,
	type ByteSink,
	type RunOptions,
} from '../../source/adapters/emulator-runner.js';
import {closePort, openPort} from '../../source/adapters/serial-port-io.js';
import {defaultConfig} from '../../source/core/config.js';
import {createScenario, type EmulatorStep} from '../../source/core/emulator.js';
import {fakeTimers, type FakeTimers} from '../helpers/fake-timers.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function line(text: string): EmulatorStep {
	return {kind: 'line', bytes: encoder.encode(text), valid: true};
}

function* endless(): Generator<EmulatorStep> {
	for (let n = 0; ; n++) {
		yield line(`T:${n}.0,V:5.00,S:NORMAL`);
	}
}

/** A sink that records what it gets and when, on the given clock, and can be made slow. */
function recordingSink(timers?: FakeTimers, writeMs = 0) {
	const writes: Array<{text: string; at: number}> = [];
	return {
		writes,
		async write(bytes: Uint8Array) {
			if (writeMs > 0) {
				await new Promise<void>((resolve) => {
					timers!.after(writeMs, resolve);
				});
			}

			writes.push({
				text: decoder.decode(bytes),
				at: timers?.now() ?? performance.now(),
			});
		},
	};
}

/** A run on fake time, and whether it has ended (without moving the clock). */
function runOnFakeTime(
	steps: Iterable<EmulatorStep>,
	sink: ByteSink,
	options: Omit<RunOptions, 'timers'>,
) {
	const timers = fakeTimers();
	let result: {linesSent: number} | undefined;
	const running = runEmulator(steps, sink, {...options, timers}).then(
		(value) => {
			result = value;
			return value;
		},
	);
	return {timers, running, result: () => result};
}

// The pacing is judged on a clock that moves only when the test says so: the times a
// write happens at are exact, whatever else the machine is doing.

test('paces lines at the rate: at 100 Hz, line n goes at n * 10 ms', async (t) => {
	const timers = fakeTimers();
	const sink = recordingSink(timers);
	const running = runEmulator(endless(), sink, {
		rateHz: 100,
		count: 20,
		timers,
	});
	await timers.advance(189);
	t.is(sink.writes.length, 19, 'the 20th line is not sent before it is due');
	await timers.advance(1);
	t.deepEqual(await running, {linesSent: 20});
	t.deepEqual(
		sink.writes.map((write) => write.at),
		Array.from({length: 20}, (_, n) => n * 10),
	);
	t.is(sink.writes[0]!.text, 'T:0.0,V:5.00,S:NORMAL\n');
	t.true(sink.writes.every((write) => write.text.endsWith('\n')));
});

test('keeps to the schedule when writes take time (no drift)', async (t) => {
	// Each write takes 4 ms of a 5 ms period: paced "after the previous write", line n would
	// end at n * 9 + 4 ms; on schedule it ends at n * 5 + 4.
	const timers = fakeTimers();
	const sink = recordingSink(timers, 4);
	const running = runEmulator(endless(), sink, {
		rateHz: 200,
		count: 50,
		timers,
	});
	await timers.advance(1000);
	t.deepEqual(await running, {linesSent: 50});
	t.deepEqual(
		sink.writes.map((write) => write.at),
		Array.from({length: 50}, (_, n) => n * 5 + 4),
	);
});

test('a sink blocked for longer than a second restarts the schedule instead of sending the backlog in a burst', async (t) => {
	const timers = fakeTimers();
	const writes: number[] = [];
	const sink = {
		async write(bytes: Uint8Array) {
			if (decoder.decode(bytes) === 'T:2.0,V:5.00,S:NORMAL\n') {
				await new Promise<void>((resolve) => {
					timers.after(3000, resolve);
				});
			}

			writes.push(timers.now());
		},
	};
	const running = runEmulator(endless(), sink, {
		rateHz: 100,
		count: 6,
		timers,
	});
	await timers.advance(5000);
	t.deepEqual(await running, {linesSent: 6});
	// Line 3 was due at 30 ms and is 2,990 ms late: it goes at once, and the rest a period apart.
	t.deepEqual(writes, [0, 10, 3020, 3020, 3030, 3040]);
});

test('a silence holds the next line back by its length, then the schedule restarts', async (t) => {
	const timers = fakeTimers();
	const sink = recordingSink(timers);
	const steps: EmulatorStep[] = [
		line('a'),
		line('b'),
		{kind: 'silence', ms: 150},
		line('c'),
		line('d'),
	];
	const running = runEmulator(steps, sink, {rateHz: 100, timers});
	await timers.advance(1000);
	t.deepEqual(await running, {linesSent: 4});
	t.deepEqual(
		sink.writes.map((write) => write.text),
		['a\n', 'b\n', 'c\n', 'd\n'],
	);
	t.deepEqual(
		sink.writes.map((write) => write.at),
		[0, 10, 160, 170],
	);
});

test('a line sent late does not shorten the silence after it', async (t) => {
	const timers = fakeTimers();
	const writes: number[] = [];
	const sink = {
		async write(bytes: Uint8Array) {
			// The line before the silence takes 100 ms to leave.
			if (decoder.decode(bytes) === 'b\n') {
				await new Promise<void>((resolve) => {
					timers.after(100, resolve);
				});
			}

			writes.push(timers.now());
		},
	};
	const running = runEmulator(
		[line('a'), line('b'), {kind: 'silence', ms: 150}, line('c')],
		sink,
		{rateHz: 100, timers},
	);
	await timers.advance(1000);
	await running;
	t.deepEqual(writes, [0, 110, 260]);
});

test('on the real clock, 20 lines at 100 Hz take at least 190 ms', async (t) => {
	// Only the lower bound is sure on a busy machine: a timer fires late, never early.
	const sink = recordingSink();
	const start = performance.now();
	const {linesSent} = await runEmulator(endless(), sink, {
		rateHz: 100,
		count: 20,
	});
	const elapsed = performance.now() - start;
	t.is(linesSent, 20);
	t.true(elapsed >= 190, `${elapsed} ms`);
});

test.serial(
	'rate 0 sends as fast as the sink accepts, one write at a time',
	async (t) => {
		let inFlight = 0;
		let maxInFlight = 0;
		let writes = 0;
		const sink = {
			async write() {
				inFlight++;
				maxInFlight = Math.max(maxInFlight, inFlight);
				await delay(1);
				inFlight--;
				writes++;
			},
		};
		const {linesSent} = await runEmulator(endless(), sink, {
			rateHz: 0,
			count: 30,
		});
		t.is(linesSent, 30);
		t.is(writes, 30);
		t.is(maxInFlight, 1);
	},
);

test('count stops after that many lines; silences do not count', async (t) => {
	const sink = recordingSink();
	const steps: EmulatorStep[] = [
		line('a'),
		{kind: 'silence', ms: 1},
		line('b'),
		line('c'),
	];
	t.deepEqual(await runEmulator(steps, sink, {rateHz: 0, count: 2}), {
		linesSent: 2,
	});
	t.deepEqual(
		sink.writes.map((write) => write.text),
		['a\n', 'b\n'],
	);
	t.deepEqual(await runEmulator(endless(), sink, {rateHz: 0, count: 0}), {
		linesSent: 0,
	});
});

test('a finite scenario ends the run with every line sent', async (t) => {
	const sink = recordingSink();
	const failure = createScenario(
		{name: 'failure'},
		{seed: 1, heartbeatTimeoutS: 0.01, thresholds: defaultConfig.thresholds},
	);
	t.deepEqual(await runEmulator(failure, sink, {rateHz: 0}), {linesSent: 46});
});

test('abort stops a paced run at once, without waiting for the next line', async (t) => {
	const controller = new AbortController();
	// At 2 Hz the second line is due at 500 ms: stopping at once means not waiting for it.
	const run = runOnFakeTime(endless(), recordingSink(), {
		rateHz: 2,
		signal: controller.signal,
	});
	await run.timers.advance(100);
	t.is(run.result(), undefined);
	controller.abort();
	await run.timers.settle();
	t.deepEqual(
		run.result(),
		{linesSent: 1},
		'ended with the clock still at 100 ms',
	);
	t.is(run.timers.pending(), 0, 'and left no timer behind');
});

test('abort stops during a silence and during a write that never ends', async (t) => {
	const controller = new AbortController();
	const silent = runOnFakeTime(
		[line('a'), {kind: 'silence', ms: 60_000}, line('b')],
		recordingSink(),
		{rateHz: 10, signal: controller.signal},
	);
	await silent.timers.advance(50);
	t.is(silent.result(), undefined);
	controller.abort();
	await silent.timers.settle();
	t.deepEqual(silent.result(), {linesSent: 1}, 'ended 50 ms into the silence');

	const stuck = new AbortController();
	setTimeout(() => {
		stuck.abort();
	}, 50);
	const result = await runEmulator(
		endless(),
		{
			async write() {
				await new Promise(() => {
					// Never settles, like a port nobody reads.
				});
			},
		},
		{rateHz: 0, signal: stuck.signal},
	);
	t.deepEqual(result, {linesSent: 0});
});

test.serial(
	'abort stops rate 0 even with a sink that never waits',
	async (t) => {
		const controller = new AbortController();
		setTimeout(() => {
			controller.abort();
		}, 30);
		const {linesSent} = await runEmulator(
			endless(),
			{
				async write() {
					// Resolves at once: only microtasks, no I/O.
				},
			},
			{rateHz: 0, signal: controller.signal},
		);
		t.true(linesSent > 0);
	},
);

test('an aborted signal sends nothing; a failing sink rejects the run', async (t) => {
	const sink = recordingSink();
	t.deepEqual(
		await runEmulator(endless(), sink, {
			rateHz: 0,
			signal: AbortSignal.abort(),
		}),
		{linesSent: 0},
	);
	t.is(sink.writes.length, 0);

	await t.throwsAsync(
		runEmulator(
			endless(),
			{
				async write() {
					throw new Error('port gone');
				},
			},
			{rateHz: 0, signal: new AbortController().signal},
		),
		{message: 'port gone'},
	);
});

test.serial('serialPortSink writes the bytes to the port', async (t) => {
	const path = '/dev/serialwatch-emulator-runner-test';
	SerialPortMock.binding.reset();
	SerialPortMock.binding.createPort(path, {echo: false, record: true});
	const port = new SerialPortMock({path, baudRate: 115_200, autoOpen: false});
	await openPort(port);
	try {
		const {linesSent} = await runEmulator(
			[line('T:25.0,V:5.00,S:NORMAL'), line('x')],
			serialPortSink(port),
			{rateHz: 0},
		);
		t.is(linesSent, 2);
		t.is(port.port?.recording.toString(), 'T:25.0,V:5.00,S:NORMAL\nx\n');
	} finally {
		await closePort(port);
		SerialPortMock.binding.reset();
	}
});
