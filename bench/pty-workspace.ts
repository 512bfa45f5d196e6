// A work dir for one whole-process run on a real PTY pair: socat joins the device's end
// and the monitor's end, the device end is held open non-blocking by the bench (a PTY the
// monitor does not drain must never block the bench's own timers), and the monitor's
// output dir starts empty, so raw.log's line N is the N-th line the bench sent.
import {
	closeSync,
	constants,
	mkdirSync,
	openSync,
	rmSync,
	writeFileSync,
	writeSync,
} from 'node:fs';
import {join} from 'node:path';
import {createVirtualPair} from '../source/adapters/virtual-pair.js';

export type PtyWorkspace = {
	dir: string;
	out: string;
	rawLog: string;
	/** The monitor's end of the pair. */
	port: string;
	config: string;
	/** The device's end of the pair, for a writer of the bench's own (cat). */
	device: string;
	/** Open the device end for writing; call once the monitor listens (it flushes the port at open). */
	openDevice(): DeviceEnd;
	close(): Promise<void>;
};

export type DeviceEnd = {
	/** Hands the text to the PTY; performance.now() once all of it is in, else undefined (still pending). */
	write(text: string): number | undefined;
	/** Bytes the PTY has not taken yet (it was full). */
	pending(): number;
	close(): void;
};

const encoder = new TextEncoder();

function isWouldBlock(error: unknown): boolean {
	return (
		error instanceof Error &&
		'code' in error &&
		(error.code === 'EAGAIN' || error.code === 'EWOULDBLOCK')
	);
}

function deviceEnd(path: string): DeviceEnd {
	const fd = openSync(
		path,
		// eslint-disable-next-line no-bitwise -- open(2) flags are a bit set
		constants.O_WRONLY | constants.O_NOCTTY | constants.O_NONBLOCK,
	);
	let waiting: Uint8Array[] = [];
	let closed = false;
	const drain = () => {
		while (waiting.length > 0) {
			const head = waiting[0]!;
			let written = 0;
			try {
				written = writeSync(fd, head);
			} catch (error) {
				if (isWouldBlock(error)) return;
				throw error;
			}

			if (written < head.length) {
				waiting[0] = head.subarray(written);
				return;
			}

			waiting.shift();
		}
	};

	return {
		write(text) {
			waiting.push(encoder.encode(text));
			drain();
			return waiting.length === 0 ? performance.now() : undefined;
		},
		pending() {
			drain();
			return waiting.reduce((sum, bytes) => sum + bytes.length, 0);
		},
		close() {
			if (closed) return;
			closed = true;
			waiting = [];
			closeSync(fd);
		},
	};
}

export async function openPtyWorkspace(
	workDir: string,
	name: string,
	configYaml: string,
): Promise<PtyWorkspace> {
	const dir = join(workDir, `${name}-${Math.random().toString(36).slice(2)}`);
	const out = join(dir, 'data');
	mkdirSync(out, {recursive: true});
	const device = join(dir, 'device-tty');
	const port = join(dir, 'monitor-tty');
	const config = join(dir, 'config.yaml');
	writeFileSync(config, configYaml);
	const pair = await createVirtualPair(device, port);
	const devices: DeviceEnd[] = [];
	return {
		dir,
		out,
		rawLog: join(out, 'raw.log'),
		port,
		config,
		device,
		openDevice() {
			const end = deviceEnd(device);
			devices.push(end);
			return end;
		},
		async close() {
			for (const end of devices) end.close();
			await pair.close();
			rmSync(dir, {recursive: true, force: true});
		},
	};
}
