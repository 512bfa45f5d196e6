// Lines for a reader that may fall behind or stop reading (`serialwatch --headless | ...`).
// A line goes to the stream only while the stream takes it without buffering more
// (write() returned true); the rest wait here, at most `capacity` of them, and when that is
// full the oldest are dropped and counted. So memory stays bounded whatever the reader does.

export type LineSink = {
	/** As a stream's write(): false when the caller should wait for 'drain'. */
	write(text: string): boolean;
	onceDrained(listener: () => void): void;
};

export type LineQueue = {
	/** Lines dropped so far because the reader fell behind. */
	readonly dropped: number;
	/** Lines written so far. */
	readonly written: number;
	/** Lines waiting for the reader. */
	readonly waiting: number;
	/** One complete line, its newline included. */
	write(line: string): void;
	/** Resolves once no line waits, or after `timeoutMs`; with the number still waiting. */
	settle(timeoutMs: number): Promise<number>;
};

export function createLineQueue(
	sink: LineSink,
	options: {
		capacity: number;
		/** The reader fell behind and the first line of a run of drops went. */
		onDropping?: () => void;
		/** The reader caught up again; `dropped` lines went meanwhile. */
		onCaughtUp?: (dropped: number) => void;
	},
): LineQueue {
	// A ring of `capacity` slots: a line dropped while the reader is blocked gives its slot
	// to the newest, so nothing but the waiting lines is ever held, however long the block.
	const ring: Array<string | undefined> = [];
	let head = 0;
	let count = 0;
	let blocked = false;
	let dropped = 0;
	let droppedInRun = 0;
	let written = 0;
	const settled = new Set<() => void>();

	const resume = () => {
		blocked = false;
		pump();
	};

	function take(): string {
		const line = ring[head]!;
		ring[head] = undefined;
		head = (head + 1) % options.capacity;
		count--;
		return line;
	}

	function pump() {
		while (count > 0) {
			if (!sink.write(take())) {
				blocked = true;
				sink.onceDrained(resume);
				break;
			}
		}

		if (count === 0) {
			if (droppedInRun > 0) {
				options.onCaughtUp?.(droppedInRun);
				droppedInRun = 0;
			}

			for (const resolve of settled) {
				resolve();
			}
		}
	}

	return {
		write(line) {
			written++;
			if (count === options.capacity) {
				take();
				dropped++;
				droppedInRun++;
				if (droppedInRun === 1) {
					options.onDropping?.();
				}
			}

			ring[(head + count) % options.capacity] = line;
			count++;

			if (!blocked) {
				pump();
			}
		},
		get dropped() {
			return dropped;
		},
		get written() {
			return written;
		},
		get waiting() {
			return count;
		},
		async settle(timeoutMs) {
			if (count > 0) {
				await new Promise<void>((resolve) => {
					const done = () => {
						settled.delete(done);
						clearTimeout(timer);
						resolve();
					};

					const timer = setTimeout(done, timeoutMs);
					settled.add(done);
				});
			}

			return count;
		},
	};
}
