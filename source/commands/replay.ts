// `serialwatch replay RAW_LOG`: re-parse an audit log with today's parser and detector.
// The detector's clock is each line's own receive time, so a replay gives the report the
// live run gave, and rebuilds the CSV and the error log beside it. Where the live run that
// wrote the raw.log left its final checkpoint beside it, the replay ends where that run
// stopped, not at the last line: what the time after it did (a silence past the heartbeat
// timeout, a parse-error rate falling back) is in both reports.
import {existsSync, statSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {detectorSettings, deviceProfile, type Config} from '../core/config.js';
import {createDetector} from '../core/detector.js';
import {errorMessage} from '../core/error-message.js';
import {RunFailure} from '../core/run-failure.js';
import {OutputError} from '../adapters/output-error.js';
import {openDerivedFiles, outputPaths} from '../adapters/output-files.js';
import {notARawLog} from '../adapters/raw-log-reader.js';
import {openIncidentJournal} from '../adapters/incident-journal.js';
import {writeReportYielding} from '../adapters/report-writer.js';
import {feedRawLog} from '../app/feed-raw-log.js';
import {findResumePoint} from '../app/resume-point.js';
import {statePaths} from '../app/run-history.js';
import {createLinePipeline, deviceCodec} from '../app/line-pipeline.js';
import {formatSummary} from '../app/run-summary.js';
import type {CommandIo} from './command-io.js';
import {wrongPathError} from './input-file-error.js';
import {UsageError} from './usage-error.js';

// Past this many, skipped lines are only counted (the summary has the total).
const maxSkippedShown = 10;

export type ReplayOptions = {
	config: Config;
	rawLog: string;
	out: string | undefined;
};

/**
 * Where a replay keeps its closed incidents until the report is written from them (then
 * it is removed): a flapping reading opens more incidents than memory should hold.
 */
export function replayJournalDir(outDir: string): string {
	return join(outDir, '.replay-incidents');
}

/** Without --out, the rebuilt files go to a `replay` folder beside the raw log, never over the live ones. */
export function defaultReplayDir(rawLog: string): string {
	return join(dirname(rawLog), 'replay');
}

export async function replay(
	options: ReplayOptions,
	io: CommandIo,
): Promise<number> {
	const {config} = options;
	// Checked before the output files are started anew, so a wrong path destroys nothing.
	let problem: string | undefined;
	try {
		problem = notARawLog(options.rawLog);
	} catch (error) {
		throw wrongPathError('read', options.rawLog, error) ?? error;
	}

	if (problem) {
		throw new UsageError(problem);
	}

	const paths = outputPaths({
		...config.output,
		dir: options.out ?? defaultReplayDir(options.rawLog),
	});
	// Batched: nobody follows the files a replay rebuilds, and a write per line of them cost
	// most of a replay's time.
	const files = openDerivedFiles(paths, deviceProfile(config), {
		truncate: true,
		batched: true,
	});
	for (const notice of files.notices) {
		io.stderr(`serialwatch: ${notice}\n`);
	}

	let journal;
	try {
		journal = openIncidentJournal(replayJournalDir(paths.dir));
	} catch (error) {
		files.close();
		throw error;
	}

	const detector = createDetector(detectorSettings(config), {closed: journal});
	const pipeline = createLinePipeline(deviceCodec(config), detector, {
		reading(time, line, reading) {
			files.metrics.appendReading(time, line, reading);
		},
		error(error) {
			files.errors.append([error]);
		},
		events() {
			// The report holds them all; replay prints only the summary.
		},
	});

	let lastTime: number | undefined;
	let problems = 0;
	try {
		lastTime = await feedRawLog(options.rawLog, pipeline, {
			onProblem({line, reason}) {
				problems++;
				if (problems <= maxSkippedShown) {
					io.stderr(`${options.rawLog}:${line}: skipped: ${reason}\n`);
				}
			},
			signal: io.signal,
		});
		files.metrics.flush();
		files.errors.flush();
	} catch (error) {
		try {
			files.close();
		} catch {
			// The first failure is the one to tell.
		}

		try {
			journal.remove();
		} catch {
			// As above.
		}

		// A write that failed names its file; anything else went wrong reading.
		throw error instanceof OutputError
			? error
			: new RunFailure(`cannot read ${options.rawLog}: ${errorMessage(error)}`);
	}

	const stoppedAt = liveRunStop(config, options.rawLog);
	const end =
		stoppedAt !== undefined && stoppedAt > (lastTime ?? -Infinity)
			? stoppedAt
			: lastTime;
	if (end !== lastTime && end !== undefined) {
		pipeline.tick(end);
	}

	let report;
	try {
		files.close();
		report = await writeReportYielding(
			paths.report,
			detector.reportEntries(end ?? 0),
		);
	} finally {
		journal.remove();
	}

	io.stderr(
		formatSummary({
			source: options.rawLog,
			skipped: problems,
			stats: pipeline.stats,
			report,
			// Replay rebuilds these; the raw log it read is the user's own.
			paths: {...paths, raw: undefined},
		}),
	);
	return 0;
}

/**
 * When the live run that wrote `rawLog` stopped, from the checkpoint it saved at its stop
 * beside the file (its output dir's .serialwatch/), if that checkpoint covers all of this
 * raw.log, byte for byte, under today's settings; else undefined (a raw.log copied
 * elsewhere, a run killed before its last checkpoint, thresholds changed since).
 */
function liveRunStop(config: Config, rawLog: string): number | undefined {
	const checkpointPath = statePaths(dirname(rawLog)).checkpoint;
	if (!existsSync(checkpointPath)) {
		return undefined;
	}

	const {checkpoint} = findResumePoint(
		{raw: rawLog, checkpoint: checkpointPath},
		{
			settings: detectorSettings(config),
			maxLineBytes: config.serial.max_line_bytes,
		},
	);
	if (checkpoint?.rawLog.bytes !== statSync(rawLog).size) {
		return undefined;
	}

	// The detector's time line runs ahead of the wall clock by the clock steps it absorbed.
	const {latest, stepOffset} = checkpoint.detector;
	return latest === null ? undefined : latest - stepOffset;
}
