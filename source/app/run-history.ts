// What a monitor run knows of the runs before it: raw.log's history taken up into the
// detector, from the checkpoint when it still holds (only the lines after it are read) or
// in full; the incident journal where resolved incidents go; and the checkpoint saved as
// the run goes on, so that the next start is quick however long the history is.
import {readdirSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {protocolLimits, type Config, detectorSettings} from '../core/config.js';
import {createDetector, type Detector} from '../core/detector.js';
import {errorMessage} from '../core/error-message.js';
import {
	fingerprintPrefix,
	writeCheckpoint,
	type Checkpoint,
} from '../adapters/checkpoint-file.js';
import {
	journalFilePath,
	openIncidentJournal,
	type IncidentJournal,
	type JournalMark,
} from '../adapters/incident-journal.js';
import {incidentTypes} from '../core/incident.js';
import type {MetricsRow} from '../adapters/metrics-csv.js';
import type {DerivedFiles} from '../adapters/output-files.js';
import type {ParserError} from '../adapters/parser-error-log.js';
import {refuseLink} from '../adapters/no-follow.js';
import type {RawLog} from '../adapters/raw-log.js';
import {feedRawLog} from './feed-raw-log.js';
import {createBatchPipeline, deviceCodec} from './line-pipeline.js';
import type {ResumePoint} from './resume-point.js';

/** The run's own state beside its output files: `<output dir>/.serialwatch/`. */
export function statePaths(outputDir: string) {
	const dir = join(outputDir, '.serialwatch');
	return {
		dir,
		checkpoint: join(dir, 'checkpoint.json'),
		journal: join(dir, 'journal'),
	};
}

export type TakeUpResult = {
	/** Lines read from raw.log: after the checkpoint, or all of them. */
	lines: number;
	/** Readings and errors appended to the CSV and the error log from raw.log. */
	rows: number;
	errors: number;
};

export type RunHistory = {
	readonly detector: Detector;
	/** Where the take-up starts: the checkpoint's, or why it reads raw.log in full. */
	readonly resume: ResumePoint;
	/** The sinks the live pipeline writes the derived files through (they track what is written). */
	readonly derived: DerivedFiles;
	/**
	 * Feeds the lines raw.log held at open that the detector has not seen (after the
	 * checkpoint, or all) through it, completing the CSV and the error log where they stop
	 * short. Lines appended since the open are not read: the live pipeline takes them.
	 */
	takeUp(options: {
		signal: AbortSignal;
		onProgress(linesRead: number): void;
	}): Promise<TakeUpResult>;
	/** Saves a checkpoint of everything up to now; a failure is returned, not thrown. */
	save(): string | undefined;
	close(): void;
};

export function openRunHistory(options: {
	config: Config;
	outputDir: string;
	files: DerivedFiles & {raw: RawLog};
	rawPath: string;
	resume: ResumePoint;
}): RunHistory {
	const {config, files} = options;
	const paths = statePaths(options.outputDir);
	// Its files are written through no link; the directory itself is checked here.
	refuseLink(paths.dir);
	removeLeftovers(paths.dir);
	let resume = checkDerived(options.resume, files);
	let restored: {journal: IncidentJournal; detector: Detector} | undefined;
	if (resume.checkpoint) {
		try {
			checkJournal(paths.journal, resume.checkpoint);
			const journal = openIncidentJournal(paths.journal, {
				keep: resume.checkpoint.journal,
			});
			restored = {
				journal,
				detector: createDetector(detectorSettings(config), {
					closed: journal,
					state: resume.checkpoint.detector,
				}),
			};
		} catch (error) {
			resume = {
				reason: `the checkpoint cannot be restored: ${errorMessage(error)}`,
			};
		}
	}

	if (!restored) {
		// The old checkpoint would not match the journal started anew: it goes first.
		rmSync(paths.checkpoint, {force: true});
		const journal = openIncidentJournal(paths.journal);
		restored = {
			journal,
			detector: createDetector(detectorSettings(config), {closed: journal}),
		};
	}

	const {journal, detector} = restored;
	const written = {
		metrics: files.metrics.tail.lastLine ?? 0,
		errors: files.errors.tail.lastLine ?? 0,
	};
	// Every way of appending is wrapped: a row appended untracked would be missing from the
	// checkpoint's mark, and the next start would take the CSV for cut short.
	const derived: DerivedFiles = {
		metrics: {
			...files.metrics,
			append(rows: readonly MetricsRow[]) {
				files.metrics.append(rows);
				written.metrics = rows.at(-1)?.line ?? written.metrics;
			},
			appendReading(time, line, reading) {
				files.metrics.appendReading(time, line, reading);
				written.metrics = line;
			},
		},
		errors: {
			...files.errors,
			append(errors: readonly ParserError[]) {
				files.errors.append(errors);
				written.errors = errors.at(-1)?.line ?? written.errors;
			},
		},
	};

	return {
		detector,
		get resume() {
			return resume;
		},
		derived,
		async takeUp({signal, onProgress}) {
			const from = resume.checkpoint?.rawLog ?? {bytes: 0, lines: 0};
			const upTo = {...from, endBytes: files.raw.bytesAtOpen};
			const result: TakeUpResult = {lines: 0, rows: 0, errors: 0};
			// Undefined: the file's last record names no line (an older file), so nothing is added.
			const rowsAfter = files.metrics.tail.lastLine ?? Infinity;
			const errorsAfter = files.errors.tail.lastLine ?? Infinity;
			const pipeline = createBatchPipeline(deviceCodec(config), detector, {
				metrics: {
					append(rows) {
						const missing = rows.filter(({line}) => line > rowsAfter);
						derived.metrics.append(missing);
						result.rows += missing.length;
					},
				},
				errors: {
					append(errors) {
						const missing = errors.filter(({line}) => line > errorsAfter);
						derived.errors.append(missing);
						result.errors += missing.length;
					},
				},
				events: () => undefined,
			});
			await feedRawLog(
				options.rawPath,
				{
					process(time, firstLine, lines) {
						pipeline.process(time, firstLine, lines);
						result.lines = firstLine + lines.length - 1 - from.lines;
						onProgress(result.lines);
					},
				},
				{onProblem: () => undefined, signal, from: upTo},
			);
			return result;
		},
		save() {
			const {raw} = files;
			try {
				const mark = journal.mark();
				const checkpoint: Checkpoint = {
					version: 1,
					savedAt: new Date().toISOString(),
					rawLog: {
						bytes: raw.bytes,
						lines: raw.lines,
						fingerprint: fingerprintPrefix(options.rawPath, raw.bytes),
					},
					derived: {...written},
					journal: mark,
					journalFingerprints: journalFingerprints(paths.journal, mark),
					limits: protocolLimits(config),
					detector: detector.save(),
				};
				writeCheckpoint(paths.checkpoint, checkpoint);
				return undefined;
			} catch (error) {
				return `cannot save the checkpoint ${paths.checkpoint}: ${errorMessage(error)}`;
			}
		},
		close() {
			journal.close();
		},
	};
}

/** The journal files' fingerprints up to their mark. */
function journalFingerprints(
	dir: string,
	mark: JournalMark,
): Record<string, string> {
	return Object.fromEntries(
		incidentTypes.map((type) => [
			type,
			fingerprintPrefix(journalFilePath(dir, type), mark.bytes[type]),
		]),
	);
}

/** Throws if a journal file's part the checkpoint counts on was cut or changed: the report is written from it. */
function checkJournal(dir: string, checkpoint: Checkpoint): void {
	for (const type of incidentTypes) {
		const path = journalFilePath(dir, type);
		const bytes = checkpoint.journal.bytes[type];
		let fingerprint: string;
		try {
			fingerprint = fingerprintPrefix(path, bytes);
		} catch (error) {
			throw new Error(`cannot read ${path}: ${errorMessage(error)}`, {
				cause: error,
			});
		}

		if (fingerprint !== checkpoint.journalFingerprints[type]) {
			throw new Error(
				fingerprint === 'shorter'
					? `${path} is shorter than its checkpoint's ${bytes} bytes`
					: `${path} changed since the checkpoint`,
			);
		}
	}
}

/** Temporary checkpoints of runs killed while they saved one: the rename never came. */
function removeLeftovers(dir: string): void {
	let names: string[];
	try {
		names = readdirSync(dir);
	} catch {
		return;
	}

	for (const name of names) {
		if (/^checkpoint\.json\.\d+\.tmp$/.test(name)) {
			rmSync(join(dir, name), {force: true});
		}
	}
}

/** A CSV or error log that holds less than at the checkpoint was cut or replaced: read all. */
function checkDerived(resume: ResumePoint, files: DerivedFiles): ResumePoint {
	if (!resume.checkpoint) {
		return resume;
	}

	const {derived} = resume.checkpoint;
	for (const [file, lastLine, atCheckpoint] of [
		['the CSV', files.metrics.tail.lastLine, derived.metrics],
		['the error log', files.errors.tail.lastLine, derived.errors],
	] as const) {
		if (lastLine === undefined || lastLine < atCheckpoint) {
			return {
				reason: `${file} ends before the checkpoint’s line ${atCheckpoint}`,
			};
		}
	}

	return resume;
}
