// Start-up with history: the monitor started on an output dir whose raw.log already holds
// many lines, a device on a real PTY pair sending a line every 10 ms from the moment of the
// spawn; the figure is the time from spawn until raw.log grows (the first live line is in).
// Its reference is the same start on an empty output dir. With `checkpointed`, the output
// dir is the one a previous run left (raw.log, the derived files and .serialwatch/ with its
// checkpoint), as a user's is; without, raw.log alone, as on the first start after an upgrade.
import {
	constants,
	copyFileSync,
	cpSync,
	closeSync,
	mkdirSync,
	openSync,
	rmSync,
	writeSync,
} from 'node:fs';
import {join} from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {createVirtualPair} from '../source/adapters/virtual-pair.js';
import {median} from './measured-process.js';
import {fileSize, startMonitor} from './monitor-process.js';

export type StartupRun = {
	firstLiveLineMs?: number;
	listeningMs?: number;
	error?: string;
};
export type StartupFigures = {medianMs: number | undefined; runs: StartupRun[]};

const deviceEveryMs = 10;
const pollMs = 2;

async function startOnce(options: {
	cli: string;
	workDir: string;
	history: string | undefined;
	/** An output dir to start from, copied whole (else raw.log alone is copied from `history`). */
	template: string | undefined;
	timeoutMs: number;
}): Promise<StartupRun> {
	const dir = join(
		options.workDir,
		`startup-${Math.random().toString(36).slice(2)}`,
	);
	const out = join(dir, 'data');
	mkdirSync(out, {recursive: true});
	const device = join(dir, 'device-tty');
	const port = join(dir, 'monitor-tty');
	const rawLog = join(out, 'raw.log');
	if (options.template) {
		cpSync(options.template, out, {recursive: true});
	} else if (options.history) {
		copyFileSync(options.history, rawLog);
	}

	const initialSize = fileSize(rawLog);
	const pair = await createVirtualPair(device, port);
	// Non-blocking: while the monitor is not reading, the PTY fills and a write would block the bench.
	const deviceFd = openSync(
		device,
		// eslint-disable-next-line no-bitwise -- open(2) flags are a bit set
		constants.O_WRONLY | constants.O_NOCTTY | constants.O_NONBLOCK,
	);
	const line = new TextEncoder().encode('T:25.0,V:5.00,S:NORMAL\n');
	const monitor = startMonitor({cli: options.cli, port, out, cwd: dir});
	const writer = setInterval(() => {
		try {
			writeSync(deviceFd, line);
		} catch {
			// EAGAIN: the PTY is full until the monitor reads.
		}
	}, deviceEveryMs);
	const run: StartupRun = {};
	monitor
		.waitForStderr(/listening on/, options.timeoutMs)
		.then((at) => {
			run.listeningMs = at - monitor.startedAt;
		})
		.catch(() => undefined);
	try {
		const deadline = monitor.startedAt + options.timeoutMs;
		while (fileSize(rawLog) <= initialSize) {
			if (performance.now() > deadline || monitor.child.exitCode !== null) {
				throw new Error(
					`no live line in raw.log within ${options.timeoutMs / 1000} s: ${monitor.stderr().trim()}`,
				);
			}

			// eslint-disable-next-line no-await-in-loop -- polling
			await delay(pollMs);
		}

		run.firstLiveLineMs = performance.now() - monitor.startedAt;
	} catch (error) {
		run.error = error instanceof Error ? error.message : String(error);
	} finally {
		clearInterval(writer);
		await monitor.stop(60_000);
		closeSync(deviceFd);
		await pair.close();
		rmSync(dir, {recursive: true, force: true});
	}

	return run;
}

/**
 * The output dir a run leaves after taking up `history` and stopping cleanly: raw.log,
 * the derived files, and the checkpoint beside the incident journal.
 */
async function checkpointedDir(options: {
	cli: string;
	workDir: string;
	history: string;
	timeoutMs: number;
}): Promise<string> {
	const dir = join(
		options.workDir,
		`checkpointed-${Math.random().toString(36).slice(2)}`,
	);
	const out = join(dir, 'data');
	mkdirSync(out, {recursive: true});
	copyFileSync(options.history, join(out, 'raw.log'));
	const monitor = startMonitor({
		cli: options.cli,
		port: join(dir, 'no-such-port'),
		out,
		cwd: dir,
	});
	await monitor.waitForStderr(/took up \d+ earlier lines/, options.timeoutMs);
	const code = await monitor.stop(options.timeoutMs);
	if (code !== 0) {
		throw new Error(
			`the run that makes the checkpoint exited ${code}: ${monitor.stderr()}`,
		);
	}

	return out;
}

export async function measureStartup(options: {
	cli: string;
	workDir: string;
	history: string | undefined;
	checkpointed: boolean;
	runs: number;
	timeoutMs: number;
}): Promise<StartupFigures> {
	const template =
		options.history && options.checkpointed
			? await checkpointedDir({...options, history: options.history})
			: undefined;
	const runs: StartupRun[] = [];
	for (let index = 0; index < options.runs; index++) {
		// eslint-disable-next-line no-await-in-loop -- one monitor at a time
		const run = await startOnce({...options, template});
		runs.push(run);
		if (run.error) break;
	}

	if (template) rmSync(join(template, '..'), {recursive: true, force: true});
	const times = runs
		.map((run) => run.firstLiveLineMs)
		.filter((ms) => ms !== undefined);
	return {
		medianMs: times.length === runs.length ? median(times) : undefined,
		runs,
	};
}
