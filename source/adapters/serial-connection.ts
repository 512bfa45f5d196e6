// The monitor's link to its device: one serial source at a time, opened at start (or
// waited for, when nothing is at the path yet), and moved to another port or baud rate
// when the config changes. Opens and moves run one after another: a move waits for the
// open before it, and stop() waits for both, so no port outlives a stop.
import {errorMessage} from '../core/error-message.js';
import {
	createSerialSource,
	PortOpenError,
	type CreatePort,
	type SerialSource,
	type SourceStatus,
} from './serial-source.js';

export type SerialSettings = {
	port: string;
	baudRate: number;
	reconnectIntervalMs: number;
	/** A port that does not exist yet is waited for instead of failing the start. */
	waitForPort: boolean;
};

export type SerialConnection = {
	/** The settings in effect: the last ones that opened (or are being waited for). */
	readonly settings: SerialSettings;
	/**
	 * Opens the port. Resolves once it is open, or once waiting for it has begun; rejects
	 * with a PortOpenError when it cannot be opened and is not to be waited for.
	 */
	start(): Promise<void>;
	/**
	 * Moves to other settings. If the new port will not open, goes back to the previous one
	 * and retries it until it does; if the previous one was not open either (it was waited
	 * for), waits for the new one instead. Resolves with the settings in effect afterwards.
	 * Before start(), it only changes what start() opens.
	 */
	retune(next: SerialSettings): Promise<SerialSettings>;
	stop(): Promise<void>;
};

export function createSerialConnection(
	initial: SerialSettings,
	options: {
		onData: (chunk: Uint8Array, time: number) => void;
		onStatus: (status: SourceStatus) => void;
		/** Human messages: where a move went, or why it did not. */
		onNotice: (text: string) => void;
		/** The demo's mock port, or a test's; undefined for real ports. */
		createPort?: CreatePort;
		/** What device a path names (see createSerialSource); false for ports that are no files. */
		identify?: ((path: string) => string | undefined) | false;
		/** What received bytes are stamped with (default: Date.now). */
		now?: () => number;
	},
): SerialConnection {
	let settings = initial;
	let started = false;
	let stopped = false;
	// Whether the port in effect is open now: a move away from an open port never waits.
	let isOpen = false;
	const onStatus = (status: SourceStatus) => {
		isOpen = status.state === 'open';
		options.onStatus(status);
	};

	// The open and each move, in order.
	let pending: Promise<unknown> = Promise.resolve();

	const sourceFor = (target: SerialSettings): SerialSource =>
		createSerialSource({
			path: target.port,
			baudRate: target.baudRate,
			reconnectIntervalMs: target.reconnectIntervalMs,
			createPort: options.createPort,
			identify: options.identify,
			now: options.now,
			onData: options.onData,
			onStatus,
		});

	let source: SerialSource = sourceFor(settings);

	/** Opens the source, or starts waiting for it; rejects when it can do neither. */
	const open = async (target: SerialSettings, wait: boolean) => {
		try {
			await source.start();
		} catch (error) {
			if (!(error instanceof PortOpenError && error.missing && wait)) {
				throw error;
			}

			onStatus({state: 'waiting', path: target.port});
			if (!stopped) {
				source.startRetrying();
			}
		}
	};

	const move = async (next: SerialSettings, previous: SerialSettings) => {
		// Waiting for a device that is not there yet, the user may name another: wait for
		// that one instead. Away from a port that works, a path that does not is a typo.
		const wait = next.waitForPort && !isOpen;
		await source.stop();
		if (stopped) {
			return previous;
		}

		source = sourceFor(next);
		try {
			await open(next, wait);
			options.onNotice(`reconnected: ${next.port} at ${next.baudRate} baud`);
			return next;
		} catch (error) {
			// A typo in the path must not end the monitoring.
			const reason =
				error instanceof PortOpenError
					? error.message.split('\n')[0]!
					: errorMessage(error);
			options.onNotice(
				`${reason} Staying on ${previous.port} at ${previous.baudRate} baud.`,
			);
			source = sourceFor(previous);
			if (!stopped) {
				source.startRetrying();
			}

			return previous;
		}
	};

	return {
		get settings() {
			return settings;
		},
		async start() {
			started = true;
			// A retune before the start may have chosen other settings.
			source = sourceFor(settings);
			const opening = open(settings, settings.waitForPort);
			pending = opening;
			await opening;
		},
		async retune(next) {
			if (!started) {
				settings = next;
				return settings;
			}

			const done = pending
				.catch(() => undefined)
				.then(async () => {
					settings = await move(next, settings);
					return settings;
				});
			pending = done;
			return done;
		},
		async stop() {
			stopped = true;
			await pending.catch(() => undefined);
			await source.stop();
		},
	};
}
