// A monitor appending to an existing raw.log first feeds it through its detector, so the
// report covers earlier runs too and equals a replay of the file. The same pass completes
// the derived files: a reading or an error after the last one the CSV or the error log
// holds (a run that stopped at a full disk, or was killed between writes) is appended to
// it, so that both hold what a replay would give. Lines they hold already are not written.
import {protocolLimits, type Config} from '../core/config.js';
import type {Detector} from '../core/detector.js';
import type {DerivedFiles} from '../adapters/output-files.js';
import {feedRawLog} from './feed-raw-log.js';
import {createLinePipeline} from './line-pipeline.js';

export type TakeUpResult = {
	/** Readings and errors appended to the CSV and the error log from raw.log. */
	rows: number;
	errors: number;
};

export async function takeUpRawLog(
	path: string,
	config: Config,
	detector: Detector,
	{signal, derived}: {signal: AbortSignal; derived: DerivedFiles},
): Promise<TakeUpResult> {
	const added: TakeUpResult = {rows: 0, errors: 0};
	// Undefined: the file's last record names no line (an older file), so nothing is added.
	const after = (lastLine: number | undefined) => lastLine ?? Infinity;
	const rowsAfter = after(derived.metrics.tail.lastLine);
	const errorsAfter = after(derived.errors.tail.lastLine);
	await feedRawLog(
		path,
		createLinePipeline(protocolLimits(config), detector, {
			metrics: {
				append(rows) {
					const missing = rows.filter(({line}) => line > rowsAfter);
					derived.metrics.append(missing);
					added.rows += missing.length;
				},
			},
			errors: {
				append(errors) {
					const missing = errors.filter(({line}) => line > errorsAfter);
					derived.errors.append(missing);
					added.errors += missing.length;
				},
			},
			events: () => undefined,
		}),
		{onProblem: () => undefined, signal},
	);
	return added;
}
