// A device that sends at its own pace whoever reads it, as a UART does: its end of the PTY
// pair is written non-blocking, and what the tty cannot take (its buffers full, because
// the monitor is stopped) is lost, as a real port's overrun loses it. The bytes the tty
// took are kept, so a test can compare them with raw.log.
import {Buffer} from 'node:buffer';
import {closeSync, constants, openSync, writeSync} from 'node:fs';
import {errorCode} from '../../source/core/error-message.js';

export type SteadyDevice = {
	/** Lines sent whole, and lines the tty took none or only part of. */
	readonly sent: number;
	readonly lost: number;
	readonly torn: number;
	/** Every byte the tty accepted, in order, one char a byte (latin1). */
	accepted(): string;
	stop(): void;
};

/** Readings in the normal range that move by 0.01 °C a line: never a breach or a rapid change. */
export function normalReading(index: number): string {
	const step = index % 2000;
	const temperature = 20 + (step < 1000 ? step : 2000 - step) / 100;
	return `T:${temperature.toFixed(2)},V:5.00,S:NORMAL\n`;
}

export function startSteadyDevice(
	path: string,
	linesPerSecond: number,
	line: (index: number) => string = normalReading,
): SteadyDevice {
	const fd = openSync(
		path,
		// eslint-disable-next-line no-bitwise -- open(2) flags
		constants.O_WRONLY | constants.O_NONBLOCK | constants.O_NOCTTY,
	);
	const chunks: Uint8Array[] = [];
	let next = 0;
	let sent = 0;
	let lost = 0;
	let torn = 0;
	const started = performance.now();
	// Catches up with the clock at every tick, so a late timer does not slow the device.
	const timer = setInterval(() => {
		const due = Math.floor(
			((performance.now() - started) / 1000) * linesPerSecond,
		);
		for (; next < due; next++) {
			const bytes = Buffer.from(line(next), 'latin1');
			let written = 0;
			try {
				written = writeSync(fd, bytes);
			} catch (error) {
				if (errorCode(error) !== 'EAGAIN') {
					throw error;
				}
			}

			chunks.push(bytes.subarray(0, written));
			if (written === bytes.length) {
				sent++;
			} else if (written === 0) {
				lost++;
			} else {
				torn++;
			}
		}
	}, 5);
	let stopped = false;
	return {
		accepted: () => Buffer.concat(chunks).toString('latin1'),
		get sent() {
			return sent;
		},
		get lost() {
			return lost;
		},
		get torn() {
			return torn;
		},
		stop() {
			if (!stopped) {
				stopped = true;
				clearInterval(timer);
				closeSync(fd);
			}
		},
	};
}
