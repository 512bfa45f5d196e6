// The monitor's files in output.dir, opened together and closed together.
import {existsSync, mkdirSync, statSync} from 'node:fs';
import {userInfo} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import process from 'node:process';
import type {Config} from '../core/config.js';
import {errorMessage} from '../core/error-message.js';
import type {DerivedFileOptions} from './derived-file-options.js';
import {openMetricsCsv, type MetricsCsv} from './metrics-csv.js';
import {OutputError} from './output-error.js';
import {LinkRefusedError} from './no-follow.js';
import {lockFileName, lockOutputDir} from './output-lock.js';
import {openParserErrorLog, type ParserErrorLog} from './parser-error-log.js';
import {openRawLog, type RawLog} from './raw-log.js';
import {refuseIrregularOutputs} from './regular-output.js';

export type OutputPaths = {
	dir: string;
	raw: string;
	metrics: string;
	errors: string;
	report: string;
};

export function outputPaths(output: Config['output']): OutputPaths {
	return {
		dir: output.dir,
		raw: join(output.dir, output.raw_log),
		metrics: join(output.dir, output.metrics_csv),
		errors: join(output.dir, output.parser_errors_log),
		report: join(output.dir, output.report_json),
	};
}

export type DerivedFiles = {metrics: MetricsCsv; errors: ParserErrorLog};

/** Runs `open` on the output dir, turning a failure into an OutputError that names the dir and the fix. */
function inOutputDir<T>(dir: string, open: () => T): T {
	try {
		ensureDirectory(dir);
		return open();
	} catch (error) {
		if (error instanceof LinkRefusedError) {
			throw error;
		}

		throw new OutputError(
			`cannot write the output files in ${dir}: ${errorMessage(error)}. ${outputDirFix(dir, error)}`,
		);
	}
}

/** A directory this user may not write is also fixed by letting them: say both ways. */
function outputDirFix(dir: string, error: unknown): string {
	const code =
		error instanceof Error && 'code' in error ? error.code : undefined;
	if (code !== 'EACCES' && code !== 'EPERM') {
		return 'Choose another directory with --out or output.dir in config.yaml.';
	}

	const user = currentUser();
	return `Let ${user} write there (sudo chown -R ${user} ${dir}), or choose another directory with --out or output.dir in config.yaml.`;
}

function currentUser(): string {
	try {
		return userInfo().username;
	} catch {
		// No passwd entry for this uid (a container's arbitrary uid).
		return `uid ${process.getuid?.() ?? '?'}`;
	}
}

/**
 * mkdir -p, one level at a time: Node's own recursive mkdir loops forever where mkdir
 * answers ENOENT for an existing parent (under /proc), and a file in the way deserves its name.
 */
function ensureDirectory(dir: string): void {
	const missing: string[] = [];
	let current = resolve(dir);
	while (!existsSync(current)) {
		missing.unshift(current);
		current = dirname(current);
	}

	if (!statSync(current).isDirectory()) {
		throw new Error(`${current} is not a directory`);
	}

	for (const path of missing) {
		mkdirSync(path);
	}
}

/** The files derived from raw.log (replay writes only these). */
export function openDerivedFiles(
	paths: OutputPaths,
	options: DerivedFileOptions = {},
): DerivedFiles & {close(): void} {
	refuseIrregularOutputs([
		join(paths.dir, lockFileName),
		paths.metrics,
		paths.errors,
		paths.report,
	]);
	return inOutputDir(paths.dir, () => {
		const release = lockOutputDir(paths.dir);
		try {
			const metrics = openMetricsCsv(paths.metrics, options);
			const errors = openParserErrorLog(paths.errors, options);
			return {
				metrics,
				errors,
				close() {
					// Each is closed (and the lock released) even if another's last flush fails.
					try {
						metrics.close();
					} finally {
						try {
							errors.close();
						} finally {
							release();
						}
					}
				},
			};
		} catch (error) {
			release();
			throw error;
		}
	});
}

/** `rawKnown`: a prefix of raw.log already counted (a checkpoint's): only the rest is counted. */
export function openOutputFiles(
	paths: OutputPaths,
	rawKnown?: {bytes: number; lines: number},
): DerivedFiles & {raw: RawLog; close(): void} {
	refuseIrregularOutputs([paths.raw]);
	const derived = openDerivedFiles(paths);
	const raw = inOutputDir(paths.dir, () => {
		try {
			return openRawLog(paths.raw, rawKnown);
		} catch (error) {
			derived.close();
			throw error;
		}
	});
	const ahead = derivedAhead(paths, derived, raw.linesAtOpen);
	if (ahead) {
		raw.close();
		derived.close();
		throw new OutputError(ahead);
	}

	return {
		...derived,
		raw,
		close() {
			raw.close();
			derived.close();
		},
	};
}

/**
 * A CSV or error log that names lines raw.log does not have: raw.log was rotated or cut
 * without it. Appending to it would number two different lines alike.
 */
function derivedAhead(
	paths: OutputPaths,
	derived: DerivedFiles,
	rawLines: number,
): string | undefined {
	for (const [path, lastLine] of [
		[paths.metrics, derived.metrics.tail.lastLine],
		[paths.errors, derived.errors.tail.lastLine],
	] as const) {
		if (lastLine !== undefined && lastLine > rawLines) {
			return `${path} goes up to raw.log line ${lastLine}, but ${paths.raw} has ${rawLines} lines: raw.log was rotated, cut or replaced without it. Move ${path} aside (rotate it with raw.log), and start again: it is rebuilt from raw.log.`;
		}
	}

	return undefined;
}
