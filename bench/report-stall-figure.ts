// Report stall: the longest the collector stops reading while it writes a report with many
// incidents in memory, measured from outside. The headless monitor first takes a burst of
// flapping lines (a breach and normal in turn, about 1.5 incidents a line) as fast as the
// PTY carries them; then a device line goes in every 5 ms while the bench sends SIGUSR1
// several times, each once the last report is written. raw.log stamps each chunk with the
// time the monitor read it, so each steady line's wait is its stamp minus the time the
// bench wrote it (the N-th steady write is the N-th raw.log line after the burst), and a
// stalled event loop shows as a long wait: the figure is the longest wait of a line written
// between a SIGUSR1 and its `report written`. A late write by the bench itself shortens a
// wait, never lengthens it. The longest wait before the first SIGUSR1 is the reference
// (the PTY, timers, a machine shared with other work).
import {readFileSync} from 'node:fs';
import {setTimeout as delay} from 'node:timers/promises';
import {feed} from './live-ingest-figure.js';
import {median} from './measured-process.js';
import {fileSize, startMonitor} from './monitor-process.js';
import {openPtyWorkspace} from './pty-workspace.js';

export type StallRun = {
	flappingLines?: number;
	/** The longest wait of a line written while each report was written, ms. */
	stallsMs?: number[];
	/** How long each report took, SIGUSR1 to `report written`, ms. */
	reportsMs?: number[];
	/** The longest wait of a steady line before the first report, ms. */
	referenceMs?: number;
	/** Longest gap between the bench's own writes, ms (for whoever wonders about the bench). */
	writerGapMs?: number;
	error?: string;
};
export type StallFigures = {
	stallMs: number | undefined;
	referenceMs: number | undefined;
	reportMs: number | undefined;
	runs: StallRun[];
};

const stampBytes = '2025-01-01T00:00:00.000Z\t'.length;
const lineEveryMs = 5;
const steadyBeforeMs = 1000;
const afterReportMs = 300;
const configYaml = `thresholds:
  temperature:
    max_c: 80
    warn_c: 70
    max_change_c: 15
`;
const steadyLine = 'T:25.0,V:5.00,S:NORMAL\n';

function reportsWritten(stderr: string): number {
	return stderr.match(/report written to/g)?.length ?? 0;
}

/** Receive times (ms since the epoch) of raw.log's lines after the first `skip`. */
function stampsAfter(rawLog: string, skip: number): number[] {
	const lines = readFileSync(rawLog, 'latin1').split('\n');
	return lines
		.slice(skip)
		.filter((line) => line.length > 0)
		.map((line) => Date.parse(line.slice(0, line.indexOf('\t'))));
}

/** The longest wait (stamp minus write) of a line written within [from, to]. */
function longestWait(
	writes: readonly number[],
	stamps: readonly number[],
	from: number,
	to: number,
): number {
	let longest = 0;
	for (const [index, written] of writes.entries()) {
		if (written >= from && written <= to && index < stamps.length) {
			longest = Math.max(longest, stamps[index]! - written);
		}
	}

	return longest;
}

async function stallOnce(options: {
	cli: string;
	workDir: string;
	flapping: {path: string; lines: number; bytes: number};
	reports: number;
}): Promise<StallRun> {
	const space = await openPtyWorkspace(options.workDir, 'stall', configYaml);
	const monitor = startMonitor({
		cli: options.cli,
		port: space.port,
		out: space.out,
		cwd: space.dir,
		config: space.config,
	});
	const run: StallRun = {flappingLines: options.flapping.lines};
	let writer: NodeJS.Timeout | undefined;
	try {
		await monitor.waitForStderr(/listening on/, 30_000);
		await feed(space.device, options.flapping.path);
		const expected =
			options.flapping.bytes + options.flapping.lines * stampBytes;
		const deadline = performance.now() + 300_000;
		while (fileSize(space.rawLog) < expected) {
			if (performance.now() > deadline) {
				throw new Error('the flapping lines did not all reach raw.log');
			}

			// eslint-disable-next-line no-await-in-loop -- polling
			await delay(20);
		}

		const device = space.openDevice();
		// Wall-clock times, as raw.log's stamps are.
		const writes: number[] = [];
		let lastWrite = performance.now();
		let writerGap = 0;
		writer = setInterval(() => {
			const now = performance.now();
			writerGap = Math.max(writerGap, now - lastWrite);
			lastWrite = now;
			writes.push(Date.now());
			device.write(steadyLine);
		}, lineEveryMs);
		await delay(steadyBeforeMs);
		const steadyFrom = Date.now() - steadyBeforeMs;
		const windows: Array<{from: number; to: number}> = [];
		for (let report = 0; report < options.reports; report++) {
			const from = Date.now();
			monitor.child.kill('SIGUSR1');
			const reportDeadline = performance.now() + 300_000;
			while (reportsWritten(monitor.stderr()) <= report) {
				if (performance.now() > reportDeadline) {
					throw new Error(`report ${report + 1} not written within 300 s`);
				}

				// eslint-disable-next-line no-await-in-loop -- polling
				await delay(5);
			}

			windows.push({from, to: Date.now()});
			// eslint-disable-next-line no-await-in-loop -- paced
			await delay(afterReportMs);
		}

		clearInterval(writer);
		writer = undefined;
		// The last lines in, then raw.log is complete for reading.
		await delay(200);
		await monitor.stop(120_000);
		const stamps = stampsAfter(space.rawLog, options.flapping.lines);
		if (stamps.length !== writes.length) {
			throw new Error(
				`${writes.length} steady lines written, ${stamps.length} in raw.log`,
			);
		}

		run.referenceMs = longestWait(
			writes,
			stamps,
			steadyFrom,
			windows[0]!.from - 1,
		);
		run.stallsMs = windows.map(({from, to}) =>
			longestWait(writes, stamps, from, to),
		);
		run.reportsMs = windows.map(({from, to}) => to - from);
		run.writerGapMs = Math.round(writerGap * 10) / 10;
	} catch (error) {
		run.error = error instanceof Error ? error.message : String(error);
	} finally {
		if (writer) clearInterval(writer);
		await monitor.stop(120_000);
		await space.close();
	}

	return run;
}

export async function measureReportStall(options: {
	cli: string;
	workDir: string;
	flapping: {path: string; lines: number; bytes: number};
	reports: number;
	runs: number;
}): Promise<StallFigures> {
	const runs: StallRun[] = [];
	for (let index = 0; index < options.runs; index++) {
		// eslint-disable-next-line no-await-in-loop -- one monitor at a time
		const run = await stallOnce(options);
		runs.push(run);
		if (run.error) break;
	}

	const ok = runs.filter((run) => run.stallsMs !== undefined);
	const all = ok.length === runs.length;
	return {
		stallMs: all
			? median(ok.map((run) => Math.max(...run.stallsMs!)))
			: undefined,
		referenceMs: all ? median(ok.map((run) => run.referenceMs!)) : undefined,
		reportMs: all
			? median(ok.map((run) => Math.max(...run.reportsMs!)))
			: undefined,
		runs,
	};
}
