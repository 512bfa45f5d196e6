// The lines a device sends for a while: what `init --from-port` infers a profile from. The
// port is opened as the monitor opens it (the same errors), read for a number of seconds
// or until enough lines came, and closed.
import {createLineSplitter} from '../core/line-splitter.js';
import {createSerialSource, type CreatePort} from './serial-source.js';

/** Silence after the port opened that makes the first byte a line's first. */
const quietMs = 100;

export type PortCapture = {
	lines: Uint8Array[];
	/** Bytes received, the partial first line included. */
	bytes: number;
	/**
	 * Why the listening ended: its time was up, enough lines came, the port went away, or
	 * the signal stopped it (the lines are then what came before).
	 */
	ended: 'time' | 'lines' | 'lost' | 'stopped';
};

export async function capturePort(options: {
	path: string;
	baudRate: number;
	seconds: number;
	maxLines: number;
	maxLineBytes: number;
	signal: AbortSignal;
	createPort?: CreatePort;
}): Promise<PortCapture> {
	const splitter = createLineSplitter(options.maxLineBytes);
	const lines: Uint8Array[] = [];
	let bytes = 0;
	// The port may have been opened in the middle of a line, and then the first one is not
	// whole: it is left out, unless nothing came for a while after the port opened. A line
	// in progress goes on arriving within a few character times (and a USB adapter's 16 ms
	// latency), so a first byte after such a quiet starts a line: the header a CSV device
	// prints once, as it starts (an Arduino restarts when its port is opened), is kept.
	let first = true;
	let openedAt: number | undefined;
	const done = new AbortController();
	let ended: PortCapture['ended'] = 'time';
	const stopFor = (why: PortCapture['ended']) => () => {
		if (!done.signal.aborted) {
			ended = why;
			done.abort();
		}
	};

	const stop = stopFor('stopped');

	const source = createSerialSource({
		path: options.path,
		baudRate: options.baudRate,
		reconnectIntervalMs: 1000,
		...(options.createPort && {
			createPort: options.createPort,
			identify: false,
		}),
		onData(chunk) {
			if (done.signal.aborted) {
				return;
			}

			if (bytes === 0 && openedAt !== undefined) {
				first = performance.now() - openedAt < quietMs;
			}

			bytes += chunk.length;
			for (const line of splitter.push(chunk)) {
				if (first) {
					first = false;
					continue;
				}

				lines.push(line);
			}

			if (lines.length >= options.maxLines) {
				lines.length = options.maxLines;
				stopFor('lines')();
			}
		},
		// A port lost while listening ends the listening: what came is what there is.
		onStatus(status) {
			if (status.state === 'open') {
				openedAt ??= performance.now();
			}

			if (status.state === 'lost') {
				stopFor('lost')();
			}
		},
	});
	await source.start();
	const timer = setTimeout(stopFor('time'), options.seconds * 1000);
	options.signal.addEventListener('abort', stop);
	if (options.signal.aborted) {
		stop();
	}

	try {
		await new Promise((resolve) => {
			done.signal.addEventListener('abort', resolve);
		});
	} finally {
		clearTimeout(timer);
		options.signal.removeEventListener('abort', stop);
		await source.stop();
	}

	return {lines, bytes, ended};
}
