// Feeds a raw.log through a pipeline as it was received: lines with the same receive time
// and consecutive numbers go as one batch, as they arrived in one chunk. Replay uses it,
// and so does the monitor to take up where the raw.log it appends to left off.
import {readRawLogBlocks} from '../adapters/raw-log-blocks.js';
import {
	readRawLogRuns,
	type RawLogProblem,
	type RawLogStart,
} from '../adapters/raw-log-reader.js';
import type {BatchPipeline, LinePipeline} from './line-pipeline.js';

type FeedOptions = {
	onProblem: (problem: RawLogProblem) => void;
	signal?: AbortSignal;
	/** Where to start instead of the beginning (and perhaps where to stop instead of the end). */
	from?: RawLogStart;
};

/** Returns the receive time of the last line fed (undefined: none). */
export async function feedRawLog(
	path: string,
	pipeline: Pick<BatchPipeline, 'process'> | Pick<LinePipeline, 'processLine'>,
	options: FeedOptions,
): Promise<number | undefined> {
	if ('processLine' in pipeline) {
		return feedLineByLine(path, pipeline, options);
	}

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

/** feedRawLog for a pipeline that takes a line at a time: no batches, no line objects. */
async function feedLineByLine(
	path: string,
	pipeline: Pick<LinePipeline, 'processLine'>,
	options: FeedOptions,
): Promise<number | undefined> {
	let lastTime: number | undefined;
	const stopped = () => options.signal?.aborted ?? false;
	for await (const block of readRawLogBlocks(
		path,
		options.onProblem,
		options.from,
	)) {
		const {bytes, starts, ends, times, lines} = block;
		for (let index = 0; index < block.count; index++) {
			if (stopped()) {
				break;
			}

			lastTime = times[index]!;
			pipeline.processLine(
				lastTime,
				lines[index]!,
				bytes,
				starts[index]!,
				ends[index]!,
			);
		}

		if (stopped()) {
			break;
		}
	}

	return lastTime;
}
