// The monitor's files in output.dir, opened together and closed together.
import {existsSync, mkdirSync, renameSync, statSync} from 'node:fs';
import {userInfo} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import process from 'node:process';
import type {Config} from '../core/config.js';
import type {DeviceProfile} from '../core/device-profile.js';
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

/**
 * The files derived from raw.log (replay writes only these), the CSV with `profile`'s
 * columns. `notices`: a CSV of another device's columns was set aside.
 */
export function openDerivedFiles(
	paths: OutputPaths,
	profile: DeviceProfile,
	options: DerivedFileOptions = {},
): DerivedFiles & {notices: string[]; close(): void} {
	refuseIrregularOutputs([
		join(paths.dir, lockFileName),
		paths.metrics,
		paths.errors,
		paths.report,
	]);
	return inOutputDir(paths.dir, () => {
		const release = lockOutputDir(paths.dir);
		try {
			const metrics = openMetricsCsv(paths.metrics, profile, options);
			const errors = openParserErrorLog(paths.errors, options);
			return {
				metrics,
				errors,
				notices: metrics.setAside ? [metrics.setAside.notice] : [],
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
	profile: DeviceProfile,
	rawKnown?: {bytes: number; lines: number},
): DerivedFiles & {
	raw: RawLog;
	/** What the opening did that the user should know of. */
	notices: string[];
	close(): void;
} {
	refuseIrregularOutputs([paths.raw]);
	let derived = openDerivedFiles(paths, profile);
	const raw = inOutputDir(paths.dir, () => {
		try {
			return openRawLog(paths.raw, rawKnown);
		} catch (error) {
			derived.close();
			throw error;
		}
	});
	const notices: string[] = [...derived.notices];
	const ahead = derivedAhead(paths, derived, raw.linesAtOpen);
	if (ahead.length > 0) {
		// Set aside, never refused: a refusal would stop every start (a restart loop under
		// systemd), and the file is kept whole for whoever wants it.
		derived.close();
		try {
			for (const {path, lastLine} of ahead) {
				const aside = `${path}.ahead-${new Date().toISOString().replaceAll(':', '')}`;
				renameSync(path, aside);
				notices.push(
					`${path} went up to raw.log line ${lastLine}, but ${paths.raw} has ${raw.linesAtOpen} lines (rotated, cut or replaced without it, or a power loss took raw.log's last second): set aside as ${aside}, and rebuilt from raw.log`,
				);
			}

			derived = openDerivedFiles(paths, profile);
		} catch (error) {
			raw.close();
			throw new OutputError(
				`cannot set aside ${ahead.map(({path}) => path).join(' and ')}, which go beyond ${paths.raw}: ${errorMessage(error)}`,
			);
		}
	}

	return {
		...derived,
		raw,
		notices,
		close() {
			raw.close();
			derived.close();
		},
	};
}

/**
 * The CSV and error log that name lines raw.log does not have: appending to them would
 * number two different lines alike.
 */
function derivedAhead(
	paths: OutputPaths,
	derived: DerivedFiles,
	rawLines: number,
): Array<{path: string; lastLine: number}> {
	return (
		[
			[paths.metrics, derived.metrics.tail.lastLine],
			[paths.errors, derived.errors.tail.lastLine],
		] as const
	).flatMap(([path, lastLine]) =>
		lastLine !== undefined && lastLine > rawLines ? [{path, lastLine}] : [],
	);
}
