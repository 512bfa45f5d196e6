// The device side of the soak: plays the mixed scenario at a fixed rate through a real
// serial port, and keeps every line it produced with when, and whether it could be handed
// to the port at all. `emulate` cannot say what it wrote while the link was down, so the
// soak writes its own lines: every line that reaches raw.log is then accounted for.
import {Buffer} from 'node:buffer';
import {SerialPort} from 'serialport';
import {defaultConfig} from '../source/core/config.js';
import {createScenario} from '../source/core/emulator.js';
import type {EmulatorStep} from '../source/core/scenarios/step.js';

export type SentLine = {
	/** The line's bytes as latin1, one char per byte, as raw.log's lines are compared. */
	text: string;
	valid: boolean;
	/** performance.now() when it was produced. */
	at: number;
	/** False: the link was down, so the line was counted but never written. */
	written: boolean;
};

export type LineWriter = {
	readonly lines: readonly SentLine[];
	/** Opens the device end (again, after the pair was recreated). */
	connect(): Promise<void>;
	/** Stops producing lines and closes the port. */
	stop(): Promise<void>;
};

const tickMs = 10;

export function createLineWriter(
	path: string,
	ratePerSecond: number,
): LineWriter {
	const lines: SentLine[] = [];
	const steps = createScenario(
		{name: 'mixed'},
		{
			seed: 1,
			heartbeatTimeoutS: defaultConfig.thresholds.heartbeat_timeout_s,
			thresholds: defaultConfig.thresholds,
			rateHz: ratePerSecond,
		},
	)[Symbol.iterator]();
	let port: SerialPort | undefined;
	const started = performance.now();

	const nextLine = (): {text: string; valid: boolean} => {
		for (;;) {
			const step: IteratorResult<EmulatorStep> = steps.next();
			// Silences are the device's own; at a fixed rate the soak skips them.
			if (!step.done && step.value.kind === 'line') {
				const {value} = step;
				return {
					text: Buffer.from(value.bytes).toString('latin1'),
					valid: value.valid,
				};
			}
		}
	};

	const tick = () => {
		const due = Math.floor(
			((performance.now() - started) * ratePerSecond) / 1000,
		);
		const batch: string[] = [];
		const at = performance.now();
		const current = port;
		while (lines.length < due) {
			const line = nextLine();
			const written = current !== undefined;
			lines.push({...line, at, written});
			if (written) {
				batch.push(line.text, '\n');
			}
		}

		if (current && batch.length > 0) {
			current.write(Buffer.from(batch.join(''), 'latin1'), (error) => {
				if (error && port === current) {
					down(current);
				}
			});
		}
	};

	const down = (candidate: SerialPort) => {
		if (port === candidate) {
			port = undefined;
		}

		candidate.removeAllListeners();
		candidate.on('error', () => undefined);
		if (candidate.isOpen) {
			candidate.close(() => undefined);
		}
	};

	const timer = setInterval(tick, tickMs);

	return {
		lines,
		async connect() {
			const candidate = new SerialPort({
				path,
				baudRate: 115_200,
				autoOpen: false,
			});
			await new Promise<void>((resolve, reject) => {
				candidate.open((error) => {
					if (error) {
						reject(error);
					} else {
						resolve();
					}
				});
			});
			candidate.on('error', () => {
				down(candidate);
			});
			candidate.on('close', () => {
				down(candidate);
			});
			port = candidate;
		},
		async stop() {
			clearInterval(timer);
			const current = port;
			port = undefined;
			if (current?.isOpen) {
				await new Promise<void>((resolve) => {
					current.drain(() => {
						current.close(() => {
							resolve();
						});
					});
				});
			}
		},
	};
}
