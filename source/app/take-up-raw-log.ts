// A monitor appending to an existing raw.log first feeds it through its detector, so the
// report covers earlier runs too and equals a replay of the file. The lines are in the
// files already, and they are not this run's: only the detector takes them.
import {protocolLimits, type Config} from '../core/config.js';
import type {Detector} from '../core/detector.js';
import {feedRawLog} from './feed-raw-log.js';
import {createLinePipeline} from './line-pipeline.js';

export async function takeUpRawLog(
	path: string,
	config: Config,
	detector: Detector,
	signal: AbortSignal,
): Promise<void> {
	const ignore = {append: () => undefined};
	await feedRawLog(
		path,
		createLinePipeline(protocolLimits(config), detector, {
			metrics: ignore,
			errors: ignore,
			events: () => undefined,
		}),
		{onProblem: () => undefined, signal},
	);
}
