// Lines that arrive while raw.log's history is taken up. raw.log has them at once (the
// recorder appends them as they come, so a stop or a kill loses none of them); the live
// pipeline gets them after the history, read back from raw.log, in order and with their
// arrival stamps, so the detector and the CSV see them as a replay of raw.log would.
// Nothing of them is held in memory, so a catch-up of any length holds any amount: only
// where each opening of the port fell is kept (two numbers per opening).
import type {Detector} from '../core/detector.js';
import type {RawLog} from '../adapters/raw-log.js';
import {feedRawLog} from './feed-raw-log.js';
import type {BatchPipeline} from './line-pipeline.js';

export type CatchUpGate = {
	/** Lines as logged: to the pipeline at once once the gate is open, else read back later. */
	process: BatchPipeline['process'];
	/** The port opened at `time`: the detector hears it in its place among the lines. */
	reconnected(time: number): void;
	/**
	 * Feeds the pipeline what raw.log got since it was opened (more may come meanwhile:
	 * that too), then lets lines through as they come. Resolves false, the gate still shut,
	 * if the signal stops it first.
	 */
	release(signal: AbortSignal): Promise<boolean>;
};

type Opening = {
	/** The raw.log line it came before. */
	line: number;
	time: number;
};

export function createCatchUpGate(options: {
	rawPath: string;
	raw: Pick<RawLog, 'lines' | 'bytes' | 'linesAtOpen' | 'bytesAtOpen'>;
	pipeline: Pick<BatchPipeline, 'process'>;
	detector: Pick<Detector, 'reconnected'>;
	/** Shut at first: there is a history to take up before the lines that come now. */
	shut: boolean;
}): CatchUpGate {
	const {raw, pipeline, detector} = options;
	let open = !options.shut;
	const openings: Opening[] = [];

	// The lines read back, with each opening of the port told before the line it came before.
	const readBack: Pick<BatchPipeline, 'process'> = {
		process(time, firstLine, lines) {
			let first = firstLine;
			let rest = lines;
			while (openings.length > 0 && openings[0]!.line < first + rest.length) {
				const opening = openings.shift()!;
				const before = Math.max(0, opening.line - first);
				if (before > 0) {
					pipeline.process(time, first, rest.slice(0, before));
					first += before;
					rest = rest.slice(before);
				}

				detector.reconnected(opening.time);
			}

			if (rest.length > 0) {
				pipeline.process(time, first, rest);
			}
		},
	};

	return {
		process(time, firstLine, lines) {
			if (open) {
				pipeline.process(time, firstLine, lines);
			}
		},
		reconnected(time) {
			if (open) {
				detector.reconnected(time);
			} else {
				openings.push({line: raw.lines + 1, time});
			}
		},
		async release(signal) {
			let from = {bytes: raw.bytesAtOpen, lines: raw.linesAtOpen};
			while (raw.bytes > from.bytes && !signal.aborted) {
				const to = {bytes: raw.bytes, lines: raw.lines};
				// eslint-disable-next-line no-await-in-loop -- each read goes on from the last
				await feedRawLog(options.rawPath, readBack, {
					onProblem: () => undefined,
					signal,
					from: {...from, endBytes: to.bytes},
				});
				from = to;
			}

			if (signal.aborted) {
				return false;
			}

			// Read up to raw.log's end, and nothing can be appended before this returns: the
			// openings left came after the last line.
			for (const opening of openings) {
				detector.reconnected(opening.time);
			}

			openings.length = 0;
			open = true;
			return true;
		},
	};
}
