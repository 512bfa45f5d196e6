// Replay of a raw.log by the built CLI, whole processes, against the floor script on the
// same file: median wall time, lines/s and peak RSS of each.
import {mkdtempSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import process from 'node:process';
import {inspectorGuard} from '../source/adapters/inspector-guard.js';
import {
	median,
	runMeasured,
	type ProcessLimits,
	type ProcessResult,
} from './measured-process.js';

export type ReplayFigures = {
	/** False when a run failed or was killed; the runs after it were not made. */
	completed: boolean;
	wallMs: number;
	linesPerSecond: number;
	/** Median CPU time; undefined where /proc could not be read. */
	cpuMs: number | undefined;
	peakRssMiB: number | undefined;
	runs: Array<Omit<ProcessResult, 'stdout' | 'stderr'> & {stderrTail: string}>;
};

function summarise(results: ProcessResult[], lines: number): ReplayFigures {
	const completed = results.every(
		(result) => result.code === 0 && !result.killed,
	);
	const wallMs = median(results.map((result) => result.wallMs));
	const cpus = results
		.map((result) => result.cpuMs)
		.filter((cpu) => cpu !== undefined);
	const peaks = results
		.map((result) => result.peakRssMiB)
		.filter((peak) => peak !== undefined);
	return {
		completed,
		wallMs,
		linesPerSecond: lines / (wallMs / 1000),
		cpuMs: cpus.length === results.length ? median(cpus) : undefined,
		peakRssMiB: peaks.length > 0 ? median(peaks) : undefined,
		runs: results.map(({stdout, stderr, ...result}) => ({
			...result,
			stderrTail: stderr.trim().split('\n').slice(-2).join(' | '),
		})),
	};
}

async function repeat(
	runs: number,
	lines: number,
	once: () => Promise<ProcessResult>,
): Promise<ReplayFigures> {
	const results: ProcessResult[] = [];
	for (let run = 0; run < runs; run++) {
		// eslint-disable-next-line no-await-in-loop -- one measured process at a time
		const result = await once();
		results.push(result);
		if (result.code !== 0 || result.killed) {
			break;
		}
	}

	return summarise(results, lines);
}

export async function measureReplay(options: {
	cli: string;
	rawLog: string;
	lines: number;
	runs: number;
	workDir: string;
	limits: ProcessLimits;
	/** A config declaring the device; the built-in T/V/S device without one. */
	config?: string;
}): Promise<ReplayFigures> {
	return repeat(options.runs, options.lines, async () => {
		const out = mkdtempSync(join(options.workDir, 'replay-'));
		try {
			return await runMeasured(
				process.execPath,
				[
					inspectorGuard,
					options.cli,
					'replay',
					options.rawLog,
					...(options.config ? ['--config', options.config] : []),
					'--out',
					out,
				],
				options.limits,
			);
		} finally {
			rmSync(out, {recursive: true, force: true});
		}
	});
}

export async function measureFloor(options: {
	floorScript: string;
	rawLog: string;
	lines: number;
	runs: number;
}): Promise<ReplayFigures> {
	return repeat(options.runs, options.lines, async () =>
		runMeasured(process.execPath, [
			inspectorGuard,
			options.floorScript,
			options.rawLog,
		]),
	);
}
