import {setTimeout as delay} from 'node:timers/promises';
import test from 'ava';
import {SerialPortMock} from 'serialport';
import {
	runEmulator,
	serialPortSink,
} from '../../source/adapters/emulator-runner.js';
import {closePort, openPort} from '../../source/adapters/serial-port-io.js';
import {defaultConfig} from '../../source/core/config.js';
import {createScenario, type EmulatorStep} from '../../source/core/emulator.js';

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

/** A sink that records what it gets and when (performance.now), and can be made slow. */
function recordingSink(writeMs = 0) {
	const writes: Array<{text: string; at: number}> = [];
	return {
		writes,
		async write(bytes: Uint8Array) {
			if (writeMs > 0) {
				await delay(writeMs);
			}

			writes.push({text: decoder.decode(bytes), at: performance.now()});
		},
	};
}

// Pacing tests measure real time; run them one at a time so they do not disturb each other.

test.serial(
	'paces lines at the rate: 20 lines at 100 Hz take about 190 ms',
	async (t) => {
		const sink = recordingSink();
		const start = performance.now();
		const {linesSent} = await runEmulator(endless(), sink, {
			rateHz: 100,
			count: 20,
		});
		const elapsed = performance.now() - start;
		t.is(linesSent, 20);
		t.is(sink.writes.length, 20);
		t.true(elapsed >= 190, `${elapsed} ms`);
		t.true(elapsed < 2000, `${elapsed} ms`);
		t.is(sink.writes[0]!.text, 'T:0.0,V:5.00,S:NORMAL\n');
		t.true(sink.writes.every((write) => write.text.endsWith('\n')));
	},
);

test.serial(
	'keeps to the schedule when writes take time (no drift)',
	async (t) => {
		// Each write takes 4 ms of a 5 ms period: paced "after the previous write", 50 lines
		// would take 50 * 9 ms; on schedule they take 49 * 5 ms plus the last write.
		const sink = recordingSink(4);
		const start = performance.now();
		await runEmulator(endless(), sink, {rateHz: 200, count: 50});
		const elapsed = performance.now() - start;
		t.true(elapsed >= 245, `${elapsed} ms`);
		// Drifting, it could not take less than 450 ms; this is the one tight bound left.
		t.true(elapsed < 445, `${elapsed} ms`);
	},
);

test.serial('a silence holds the next line back by its length', async (t) => {
	const sink = recordingSink();
	const steps: EmulatorStep[] = [
		line('a'),
		line('b'),
		{kind: 'silence', ms: 150},
		line('c'),
		line('d'),
	];
	await runEmulator(steps, sink, {rateHz: 100});
	const [a, b, c, d] = sink.writes.map((write) => write.at);
	t.deepEqual(
		sink.writes.map((write) => write.text),
		['a\n', 'b\n', 'c\n', 'd\n'],
	);
	// Only lower bounds are sure on a loaded machine (a timer fires late, never early; 2 ms
	// for the clocks' rounding); upper bounds are generous, to catch a silence ignored or doubled.
	t.true(c! - b! >= 148, `gap ${c! - b!} ms`);
	t.true(c! - b! < 2000, `gap ${c! - b!} ms`);
	// The schedule restarts after the silence: d is a period after c was due.
	t.true(d! - b! >= 158, `b to d ${d! - b!} ms`);
	t.true(b! - a! >= 8, `gap ${b! - a!} ms`);
});

test.serial(
	'a line sent late does not shorten the silence after it',
	async (t) => {
		const writes: number[] = [];
		const sink = {
			async write(bytes: Uint8Array) {
				// The line before the silence takes 100 ms to leave.
				if (decoder.decode(bytes) === 'b\n') {
					await delay(100);
				}

				writes.push(performance.now());
			},
		};
		await runEmulator(
			[line('a'), line('b'), {kind: 'silence', ms: 150}, line('c')],
			sink,
			{rateHz: 100},
		);
		t.true(writes[2]! - writes[1]! >= 150, `gap ${writes[2]! - writes[1]!} ms`);
	},
);

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

test.serial('abort stops a paced run promptly', async (t) => {
	const sink = recordingSink();
	const controller = new AbortController();
	setTimeout(() => {
		controller.abort();
	}, 100);
	const start = performance.now();
	// At 2 Hz the second line is due at 500 ms: stopping promptly means not waiting for it.
	const {linesSent} = await runEmulator(endless(), sink, {
		rateHz: 2,
		signal: controller.signal,
	});
	const elapsed = performance.now() - start;
	t.true(elapsed < 2000, `${elapsed} ms`);
	t.is(linesSent, 1);
});

test.serial(
	'abort stops during a silence and during a write that never ends',
	async (t) => {
		const controller = new AbortController();
		setTimeout(() => {
			controller.abort();
		}, 50);
		const start = performance.now();
		await runEmulator(
			[line('a'), {kind: 'silence', ms: 60_000}, line('b')],
			recordingSink(),
			{rateHz: 10, signal: controller.signal},
		);
		t.true(performance.now() - start < 2000);

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
	},
);

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
