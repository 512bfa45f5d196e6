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
	// A plain array read from `head`, compacted now and then: shift() would copy it each time.
	let lines: string[] = [];
	let head = 0;
	let blocked = false;
	let dropped = 0;
	let droppedInRun = 0;
	let written = 0;
	const settled = new Set<() => void>();

	const resume = () => {
		blocked = false;
		pump();
	};

	function pump() {
		while (head < lines.length) {
			const line = lines[head]!;
			head++;
			if (!sink.write(line)) {
				blocked = true;
				sink.onceDrained(resume);
				break;
			}
		}

		if (head === lines.length) {
			lines = [];
			head = 0;
			if (droppedInRun > 0) {
				options.onCaughtUp?.(droppedInRun);
				droppedInRun = 0;
			}

			for (const resolve of settled) {
				resolve();
			}
		} else if (head > options.capacity) {
			lines = lines.slice(head);
			head = 0;
		}
	}

	return {
		write(line) {
			written++;
			lines.push(line);
			if (lines.length - head > options.capacity) {
				head++;
				dropped++;
				droppedInRun++;
				if (droppedInRun === 1) {
					options.onDropping?.();
				}
			}

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
			return lines.length - head;
		},
		async settle(timeoutMs) {
			if (lines.length - head > 0) {
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

			return lines.length - head;
		},
	};
}
