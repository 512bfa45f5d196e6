// Plays emulator steps into a byte sink in real time.
// Line n is due at anchor + n / rate on the monotonic clock (performance.now), not "a period
// after the previous write", so slow writes and timer lateness do not add up to drift.
// A silence is a gap of at least its length after the last line; the schedule then restarts
// with the next line due at once.
import {setImmediate as yieldToEventLoop} from 'node:timers/promises';
import type {SerialPort, SerialPortMock} from 'serialport';
import type {EmulatorStep} from '../core/emulator.js';
import type {Timers} from './delivery-queue.js';
import {writeAll} from './serial-port-io.js';

export type ByteSink = {write(bytes: Uint8Array): Promise<void>};

export type RunOptions = {
	/** Lines per second; 0 sends as fast as the sink accepts them. */
	rateHz: number;
	/** Stop after this many lines. */
	count?: number;
	signal?: AbortSignal;
	/** The clock that paces the lines: the monotonic one unless a test moves its own. */
	timers?: Timers;
};

const monotonicTimers: Timers = {
	now: () => performance.now(),
	after(ms, callback) {
		const timer = setTimeout(callback, ms);
		return () => {
			clearTimeout(timer);
		};
	},
};

// Behind schedule by more than this (a sink blocked for a while), the schedule restarts
// from now instead of sending the backlog in one burst.
const maxLagMs = 1000;
// With a sink that never waits on I/O, every await is a microtask and timers (and so an
// abort from one) would never run at rate 0 or behind schedule; hand the event loop a turn this often.
const linesPerTurn = 64;
const newline = 0x0a;

export async function runEmulator(
	steps: Iterable<EmulatorStep>,
	sink: ByteSink,
	options: RunOptions,
): Promise<{linesSent: number}> {
	const {rateHz, count, signal} = options;
	const timers = options.timers ?? monotonicTimers;
	const periodMs = rateHz > 0 ? 1000 / rateHz : 0;
	let anchor = timers.now();
	let scheduled = 0; // Lines scheduled since the anchor.
	let linesSent = 0;

	if (count === 0) {
		return {linesSent};
	}

	for (const step of steps) {
		if (signal?.aborted) {
			break;
		}

		if (step.kind === 'silence') {
			// Measured from now, not from the schedule: a late previous line must not
			// shorten the gap a heartbeat detector is meant to see.
			// eslint-disable-next-line no-await-in-loop -- pacing is sequential by nature
			await sleepUntil(timers, timers.now() + step.ms, signal);
			anchor = timers.now() - scheduled * periodMs;
			continue;
		}

		if (periodMs > 0) {
			const due = anchor + scheduled * periodMs;
			if (timers.now() - due > maxLagMs) {
				anchor = timers.now() - scheduled * periodMs;
			}

			// eslint-disable-next-line no-await-in-loop
			await sleepUntil(timers, anchor + scheduled * periodMs, signal);
		}

		// Behind schedule (or at rate 0), sleepUntil does not wait: without this, a run in
		// the monitor's own thread (the demo) would starve its timers and messages.
		if (linesSent > 0 && linesSent % linesPerTurn === 0) {
			// eslint-disable-next-line no-await-in-loop
			await yieldToEventLoop();
		}

		if (signal?.aborted) {
			break;
		}

		const bytes = new Uint8Array(step.bytes.length + 1);
		bytes.set(step.bytes);
		bytes[step.bytes.length] = newline;
		// eslint-disable-next-line no-await-in-loop
		const written = await untilAborted(sink.write(bytes), signal);
		if (!written) {
			break;
		}

		linesSent++;
		scheduled++;
		if (count !== undefined && linesSent >= count) {
			break;
		}
	}

	return {linesSent};
}

/**
 * A sink that resolves once the bytes have left the port (write, then drain), so that at
 * rate 0 the emulator goes exactly as fast as the port and whoever reads the other end.
 */
export function serialPortSink(
	port: Pick<SerialPort | SerialPortMock, 'write' | 'drain'>,
): ByteSink {
	return {
		async write(bytes) {
			await writeAll(port, bytes);
		},
	};
}

/** Resolves true when the promise does, false as soon as the signal aborts; rejects with it. */
async function untilAborted(
	promise: Promise<void>,
	signal: AbortSignal | undefined,
): Promise<boolean> {
	if (!signal) {
		await promise;
		return true;
	}

	// Whatever happens to a write abandoned on abort is no longer our concern.
	promise.catch(() => undefined);
	let onAbort: (() => void) | undefined;
	const aborted = new Promise<false>((resolve) => {
		onAbort = () => {
			resolve(false);
		};

		if (signal.aborted) {
			onAbort();
		} else {
			signal.addEventListener('abort', onAbort, {once: true});
		}
	});
	try {
		return await Promise.race([promise.then(() => true), aborted]);
	} finally {
		signal.removeEventListener('abort', onAbort!);
	}
}

/** Wait until the clock reaches time; returns early, without error, on abort. */
async function sleepUntil(
	timers: Timers,
	time: number,
	signal: AbortSignal | undefined,
): Promise<void> {
	// Timers may fire up to a millisecond early against the clock; loop until due.
	for (;;) {
		const remaining = time - timers.now();
		if (remaining <= 0 || signal?.aborted) {
			return;
		}

		// eslint-disable-next-line no-await-in-loop
		await sleep(timers, remaining, signal);
	}
}

async function sleep(
	timers: Timers,
	ms: number,
	signal: AbortSignal | undefined,
): Promise<void> {
	return new Promise((resolve) => {
		const done = () => {
			cancel();
			signal?.removeEventListener('abort', done);
			resolve();
		};

		const cancel = timers.after(ms, done);
		signal?.addEventListener('abort', done, {once: true});
	});
}
