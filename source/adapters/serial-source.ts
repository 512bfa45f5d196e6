// The serial port as a source of chunks. The first open either succeeds, or fails with a
// clear error, or (when asked to wait) finds no device at the path yet and keeps looking
// every reconnect interval. After an open, a vanished port (USB unplug, socat killed) is
// retried every reconnect interval while the monitor keeps running. The port class is
// injected, so the demo and tests use serialport's mock binding through the same code.
import {statSync} from 'node:fs';
import {SerialPort} from 'serialport';
import {errorMessage} from '../core/error-message.js';
import {RunFailure} from '../core/run-failure.js';
import {describeOpenError} from './port-open-help.js';

export type PortLike = {
	readonly isOpen: boolean;
	open(callback: (error: Error | null) => void): void;
	close(callback: (error: Error | null) => void): void;
	on(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
	on(event: 'close', listener: (error?: Error) => void): unknown;
	on(event: 'error', listener: (error: Error) => void): unknown;
	removeAllListeners(): unknown;
};

export type CreatePort = (path: string, baudRate: number) => PortLike;

export type SourceStatus =
	| {state: 'open'; path: string}
	/** The port does not exist (yet): checked again every reconnect interval. */
	| {state: 'waiting'; path: string}
	| {state: 'lost'; path: string; reason: string}
	/** An open failed again; `missing`: nothing is at the path (the device is still away). */
	| {state: 'retrying'; path: string; reason: string; missing: boolean};

export type SerialSource = {
	/** Opens the port; rejects with a PortOpenError if the first open fails. */
	start(): Promise<void>;
	/**
	 * Opens the port, or keeps trying every reconnect interval until it opens: status
	 * `waiting` while nothing is at the path and the port has never opened, `retrying` otherwise.
	 */
	startRetrying(): void;
	stop(): Promise<void>;
};

export class PortOpenError extends RunFailure {
	readonly port: string;
	/** Nothing is at the path: a device not plugged in yet, an emulator not started. */
	readonly missing: boolean;

	constructor(port: string, cause: string, missing = false) {
		super(describeOpenError(port, cause));
		this.name = 'PortOpenError';
		this.port = port;
		this.missing = missing;
	}
}

export const createRealPort: CreatePort = (path, baudRate) =>
	new SerialPort({path, baudRate, autoOpen: false});

export function createSerialSource(options: {
	path: string;
	baudRate: number;
	reconnectIntervalMs: number;
	createPort?: CreatePort;
	onData: (chunk: Uint8Array, time: number) => void;
	onStatus?: (status: SourceStatus) => void;
	now?: () => number;
	/**
	 * What device the path names now (undefined: none). A PTY whose socat died can stay
	 * open without an error, so the path is checked every reconnect interval; a change
	 * means the device went away. Off for ports that are not files (the demo's mock).
	 */
	identify?: ((path: string) => string | undefined) | false;
}): SerialSource {
	const {path, baudRate, reconnectIntervalMs, onData} = options;
	const createPort = options.createPort ?? createRealPort;
	const now = options.now ?? Date.now;
	const onStatus = options.onStatus ?? (() => undefined);
	const identify = options.identify ?? identifyDevice;
	let port: PortLike | undefined;
	let retryTimer: NodeJS.Timeout | undefined;
	let watchTimer: NodeJS.Timeout | undefined;
	let lostReason: string | undefined;
	let stopped = false;
	let opened = false;

	const watch = (candidate: PortLike, identity: string | undefined) => {
		if (identify === false) {
			return;
		}

		watchTimer = setInterval(() => {
			const now = identify(path);
			if (now !== identity) {
				lostReason =
					now === undefined
						? 'the device is gone'
						: 'the path now names another device';
				candidate.close(() => undefined);
			}
		}, reconnectIntervalMs);
	};

	// Why the port closed under us, as its user can act on it: a read error on a port whose
	// device went away (a USB adapter pulled, the other end of a socat pair gone) is the
	// device's going, not "bad file descriptor".
	const lossReason = (error: Error | null | undefined): string => {
		if (identify !== false && identify(path) === undefined) {
			return 'the device is gone';
		}

		if (!error) {
			return 'closed';
		}

		return /bad file descriptor|ebadf|input\/output error|eio|enxio|enodev/i.test(
			error.message,
		)
			? `the device stopped answering: ${error.message}`
			: error.message;
	};

	const open = async (): Promise<void> =>
		new Promise((resolve, reject) => {
			const candidate = createPort(path, baudRate);
			candidate.open((error) => {
				if (error) {
					candidate.removeAllListeners();
					// Either says it: the error (the path was not there when opened), or the path
					// now (a dangling link says "no such file" only sometimes).
					const missing =
						identify !== false &&
						(/no such file|enoent/i.test(error.message) ||
							identify(path) === undefined);
					reject(new PortOpenError(path, error.message, missing));
					return;
				}

				if (stopped) {
					candidate.close(() => undefined);
					resolve();
					return;
				}

				port = candidate;
				opened = true;
				lostReason = undefined;
				watch(candidate, identify === false ? undefined : identify(path));
				candidate.on('data', (chunk) => {
					onData(chunk, now());
				});
				candidate.on('error', () => undefined); // A 'close' follows; handled there.
				candidate.on('close', (error) => {
					candidate.removeAllListeners();
					clearInterval(watchTimer);
					port = undefined;
					if (!stopped) {
						onStatus({
							state: 'lost',
							path,
							reason: lostReason ?? lossReason(error),
						});
						scheduleRetry();
					}
				});
				onStatus({state: 'open', path});
				resolve();
			});
		});

	const retry = () => {
		open().catch((error: unknown) => {
			const missing = error instanceof PortOpenError && error.missing;
			onStatus(
				!opened && missing
					? {state: 'waiting', path}
					: {state: 'retrying', path, reason: errorMessage(error), missing},
			);
			scheduleRetry();
		});
	};

	const scheduleRetry = () => {
		retryTimer = setTimeout(() => {
			retryTimer = undefined;
			if (!stopped) {
				retry();
			}
		}, reconnectIntervalMs);
	};

	return {
		start: open,
		startRetrying: retry,
		async stop() {
			stopped = true;
			clearTimeout(retryTimer);
			clearInterval(watchTimer);
			const current = port;
			port = undefined;
			if (current?.isOpen) {
				await new Promise<void>((resolve) => {
					current.close(() => {
						resolve();
					});
				});
			}

			current?.removeAllListeners();
		},
	};
}

/** The device a path names (following links), as device and inode numbers. */
function identifyDevice(path: string): string | undefined {
	try {
		const {dev, ino, rdev} = statSync(path);
		return `${dev}:${ino}:${rdev}`;
	} catch {
		return undefined;
	}
}
