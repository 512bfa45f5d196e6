// Feeds a raw.log through a pipeline as it was received: lines with the same receive time
// and consecutive numbers go as one batch, as they arrived in one chunk. Replay uses it,
// and so does the monitor to take up where the raw.log it appends to left off.
import {
	readRawLogRuns,
	type RawLogProblem,
} from '../adapters/raw-log-reader.js';
import type {LinePipeline} from './line-pipeline.js';

/** Returns the receive time of the last line fed (undefined: none). */
export async function feedRawLog(
	path: string,
	pipeline: Pick<LinePipeline, 'process'>,
	options: {
		onProblem: (problem: RawLogProblem) => void;
		signal?: AbortSignal;
		/** Where to start instead of the beginning: the end of a line, and the lines before it. */
		from?: {bytes: number; lines: number};
	},
): Promise<number | undefined> {
	let batch: {time: number; first: number; lines: Uint8Array[]} | undefined;
	let lastTime: number | undefined;
	const flush = () => {
		if (batch) {
			pipeline.process(batch.time, batch.first, batch.lines);
			batch = undefined;
		}
	};

	// A stop is heard between lines, as it was when the reader gave one line at a time.
	const stopped = () => options.signal?.aborted ?? false;
	for await (const run of readRawLogRuns(
		path,
		options.onProblem,
		options.from,
	)) {
		for (const {line, time, bytes} of run) {
			if (stopped()) {
				break;
			}

			if (batch?.time !== time || batch.first + batch.lines.length !== line) {
				flush();
				batch = {time, first: line, lines: []};
			}

			batch.lines.push(bytes);
			lastTime = time;
		}

		if (stopped()) {
			break;
		}
	}

	flush();
	return lastTime;
}
