// Chunks from the port become lines in raw.log, then go through the pipeline. A write that
// fails (disk full, file removed) stops the recording and is kept as the reason the run
// ends; nothing after it is half-written.
import {errorMessage} from '../core/error-message.js';
import {createLineSplitter} from '../core/line-splitter.js';
import type {RawLog} from '../adapters/raw-log.js';
import type {BatchPipeline} from './line-pipeline.js';

export type LineRecorder = {
	/** Why recording stopped, if a write failed. */
	readonly failure: string | undefined;
	/** Bytes received at `time`. */
	ingest(chunk: Uint8Array, time: number): void;
	/**
	 * Bytes after the last newline were received too: they go to raw.log as a line of their
	 * own, stamped when they arrived (at the stop, or when the port that sent them is gone).
	 */
	flush(): void;
};

export function createLineRecorder(options: {
	maxLineBytes: number;
	raw: Pick<RawLog, 'append'>;
	pipeline: Pick<BatchPipeline, 'process'>;
	/** Every line as logged, `firstLine` being its raw.log number. */
	onLines?: (
		time: number,
		firstLine: number,
		lines: readonly Uint8Array[],
	) => void;
	/** The first failed write. */
	onFailure: (reason: string) => void;
	startedAt: number;
}): LineRecorder {
	const splitter = createLineSplitter(options.maxLineBytes);
	let failure: string | undefined;
	// A line still open at the end is logged with the time its last bytes arrived.
	let lastChunkAt = options.startedAt;

	const log = (time: number, lines: Uint8Array[]) => {
		if (failure) {
			return;
		}

		try {
			const firstLine = options.raw.append(time, lines);
			options.onLines?.(time, firstLine, lines);
			options.pipeline.process(time, firstLine, lines);
		} catch (error) {
			failure = errorMessage(error);
			options.onFailure(failure);
		}
	};

	return {
		get failure() {
			return failure;
		},
		ingest(chunk, time) {
			lastChunkAt = time;
			if (!failure) {
				log(time, splitter.push(chunk));
			}
		},
		flush() {
			const rest = splitter.flush();
			if (rest) {
				log(lastChunkAt, [rest]);
			}
		},
	};
}
