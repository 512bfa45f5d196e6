// Live ingest through a real PTY pair: `cat` pushes the device lines into one end as fast as
// the PTY takes them (a full PTY blocks it, so the pace is the reader's), and the monitor
// reads the other end headless. Sustained lines/s is the lines in raw.log over the time from
// the first write to the last growth of raw.log; lost is sent minus raw.log's lines.
// Floor: `head -n LINES` reading the same end of a fresh pair, fed the same way.
import {spawn} from 'node:child_process';
import {closeSync, constants, mkdirSync, openSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {createVirtualPair} from '../source/adapters/virtual-pair.js';
import {median} from './measured-process.js';
import {countLines, fileSize, startMonitor} from './monitor-process.js';

export type IngestRun = {
	seconds?: number;
	linesPerSecond?: number;
	received?: number;
	lost?: number;
	error?: string;
};
export type IngestFigures = {
	linesPerSecond: number | undefined;
	lost: number | undefined;
	runs: IngestRun[];
};

// raw.log's stamp and tab in front of every line.
const stampBytes = '2025-01-01T00:00:00.000Z\t'.length;
const quietMs = 5000;

export async function feed(
	device: string,
	input: string,
): Promise<number | null> {
	// eslint-disable-next-line no-bitwise -- open(2) flags are a bit set
	const deviceFd = openSync(device, constants.O_WRONLY | constants.O_NOCTTY);
	const cat = spawn('cat', [input], {stdio: ['ignore', deviceFd, 'ignore']});
	closeSync(deviceFd);
	return new Promise((resolve) => {
		cat.once('exit', resolve);
	});
}

function workspace(workDir: string) {
	const dir = join(workDir, `ingest-${Math.random().toString(36).slice(2)}`);
	mkdirSync(join(dir, 'data'), {recursive: true});
	return {
		dir,
		out: join(dir, 'data'),
		device: join(dir, 'device-tty'),
		port: join(dir, 'monitor-tty'),
	};
}

async function monitorOnce(options: {
	cli: string;
	workDir: string;
	input: string;
	lines: number;
	bytes: number;
	timeoutMs: number;
}): Promise<IngestRun> {
	const {dir, out, device, port} = workspace(options.workDir);
	const rawLog = join(out, 'raw.log');
	const pair = await createVirtualPair(device, port);
	const monitor = startMonitor({cli: options.cli, port, out, cwd: dir});
	const run: IngestRun = {};
	try {
		await monitor.waitForStderr(/listening on/, 30_000);
		const expected = options.bytes + options.lines * stampBytes;
		const started = performance.now();
		let catDone = false;
		const fed = feed(device, options.input).then(() => {
			catDone = true;
		});
		let size = 0;
		let grewAt = started;
		while (size < expected) {
			const now = performance.now();
			if (now - started > options.timeoutMs) {
				throw new Error(
					`raw.log incomplete after ${options.timeoutMs / 1000} s`,
				);
			}

			if (catDone && now - grewAt > quietMs) break;
			const next = fileSize(rawLog);
			if (next > size) {
				size = next;
				grewAt = now;
			}

			// eslint-disable-next-line no-await-in-loop -- polling
			await delay(10);
		}

		await fed;
		run.seconds = (grewAt - started) / 1000;
	} catch (error) {
		run.error = error instanceof Error ? error.message : String(error);
	} finally {
		await monitor.stop(60_000);
		await pair.close();
	}

	if (run.seconds !== undefined) {
		run.received = countLines(rawLog);
		run.lost = options.lines - run.received;
		run.linesPerSecond = run.received / run.seconds;
	}

	rmSync(dir, {recursive: true, force: true});
	return run;
}

async function headOnce(options: {
	workDir: string;
	input: string;
	lines: number;
	timeoutMs: number;
}): Promise<IngestRun> {
	const {dir, device, port} = workspace(options.workDir);
	const pair = await createVirtualPair(device, port);
	// eslint-disable-next-line no-bitwise -- open(2) flags are a bit set
	const portFd = openSync(port, constants.O_RDONLY | constants.O_NOCTTY);
	const head = spawn('head', ['-n', String(options.lines)], {
		stdio: [portFd, 'ignore', 'ignore'],
	});
	closeSync(portFd);
	const done = new Promise<number | null>((resolve) => {
		head.once('exit', resolve);
	});
	const started = performance.now();
	const timer = setTimeout(() => {
		head.kill('SIGKILL');
	}, options.timeoutMs);
	const fed = feed(device, options.input);
	const code = await done;
	const seconds = (performance.now() - started) / 1000;
	clearTimeout(timer);
	await pair.close();
	await fed;
	rmSync(dir, {recursive: true, force: true});
	return code === 0
		? {
				seconds,
				linesPerSecond: options.lines / seconds,
				received: options.lines,
				lost: 0,
			}
		: {
				error: `head did not get ${options.lines} lines within ${options.timeoutMs / 1000} s`,
			};
}

function summarise(runs: IngestRun[]): IngestFigures {
	const ok = runs.filter((run) => run.linesPerSecond !== undefined);
	return {
		linesPerSecond:
			ok.length === runs.length
				? median(ok.map((run) => run.linesPerSecond!))
				: undefined,
		lost:
			ok.length === runs.length
				? Math.max(...ok.map((run) => run.lost!))
				: undefined,
		runs,
	};
}

export async function measureIngest(options: {
	cli: string;
	workDir: string;
	input: string;
	lines: number;
	bytes: number;
	runs: number;
	timeoutMs: number;
}): Promise<{monitor: IngestFigures; floor: IngestFigures}> {
	const monitorRuns: IngestRun[] = [];
	const floorRuns: IngestRun[] = [];
	for (let index = 0; index < options.runs; index++) {
		// Interleaved, so a change in the machine's load falls on both alike.
		// eslint-disable-next-line no-await-in-loop -- one at a time
		floorRuns.push(await headOnce(options));
		// eslint-disable-next-line no-await-in-loop -- one at a time
		monitorRuns.push(await monitorOnce(options));
	}

	return {monitor: summarise(monitorRuns), floor: summarise(floorRuns)};
}
