// Dashboard cost: the dashboard (no --headless) drawn in a real terminal, a tmux server of
// the bench's own (-L, never anyone else's), reading a real PTY pair that the bench feeds at
// a fixed rate. Over the measured seconds: the CPU time of the screen process and of its
// collector child (utime + stime from /proc/PID/stat), the frames drawn (Ink wraps each frame
// in a synchronized-update pair, ESC [ ? 2026 h ... l, on a terminal; tmux pipe-pane copies
// every byte the pane is sent to a file, where the bench counts them), and the lines lost
// (sent minus raw.log's lines, after a quit with `q`).
import {execFileSync, spawnSync} from 'node:child_process';
import {readdirSync, readFileSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import process from 'node:process';
import {setTimeout as delay} from 'node:timers/promises';
import {formatDeviceLine} from '../source/core/scenarios/device-line.js';
import {inspectorGuard} from '../source/adapters/inspector-guard.js';
import {median} from './measured-process.js';
import {countLines, fileSize} from './monitor-process.js';
import {openPtyWorkspace} from './pty-workspace.js';

export type DashboardRun = {
	rate: number;
	seconds?: number;
	sent?: number;
	lost?: number;
	framesPerSecond?: number;
	/** Bytes the screen sent to the terminal per second. */
	bytesPerSecond?: number;
	/** Percent of one core. */
	screenCpu?: number;
	collectorCpu?: number;
	error?: string;
};
export type DashboardFigures = {
	rate: number;
	framesPerSecond: number | undefined;
	screenCpu: number | undefined;
	collectorCpu: number | undefined;
	lost: number | undefined;
	runs: DashboardRun[];
};

const synchronizedUpdate = '\u001B[?2026h';
const clockTicks = Number(
	spawnSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).stdout.trim() || 100,
);
const stampBytes = '2025-01-01T00:00:00.000Z\t'.length;
let servers = 0;

/** utime + stime in seconds; undefined once the process is gone. */
function cpuSeconds(pid: number): number | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The fields after the command name, which is in parentheses and may hold spaces.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return (Number(fields[11]) + Number(fields[12])) / clockTicks;
	} catch {
		return undefined;
	}
}

function childOf(parent: number): number | undefined {
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			if (ppid === parent) return Number(entry);
		} catch {
			// Gone meanwhile.
		}
	}

	return undefined;
}

function alive(pid: number): boolean {
	return cpuSeconds(pid) !== undefined;
}

/** A reading that moves, so the charts and the numbers change as on a real device. */
function deviceLine(index: number): string {
	const temperature = 25 + 3 * Math.sin(index / 40);
	const voltage = 5 + 0.1 * Math.cos(index / 25);
	return `${formatDeviceLine(temperature, voltage, 'NORMAL')}\n`;
}

type DashboardOptions = {
	cli: string;
	workDir: string;
	rate: number;
	seconds: number;
	maxFps: number;
	/** A declared device: its config's YAML (device: and rules:) and the line it prints. */
	device?: {yaml: string; line: (index: number) => string};
};

function deviceOf(options: DashboardOptions) {
	return {
		configYaml: `ui:\n  max_fps: ${options.maxFps}\n${options.device?.yaml ?? ''}`,
		line: options.device?.line ?? deviceLine,
	};
}

async function dashboardOnce(options: DashboardOptions): Promise<DashboardRun> {
	const {configYaml, line} = deviceOf(options);
	const space = await openPtyWorkspace(
		options.workDir,
		'dashboard',
		configYaml,
	);
	const socket = `serialwatch-bench-${process.pid}-${++servers}`;
	const tmux = (...args: string[]) =>
		execFileSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'});
	const frames = join(space.dir, 'pane-output');
	const run: DashboardRun = {rate: options.rate};
	let screen: number | undefined;
	let socketPath: string | undefined;
	try {
		tmux(
			'new-session',
			'-d',
			'-s',
			'bench',
			'-x',
			'100',
			'-y',
			'30',
			'-c',
			space.dir,
			// A person's terminal: CI's variables would make serialwatch headless.
			`unset CI CONTINUOUS_INTEGRATION; exec '${process.execPath}' ${inspectorGuard} '${options.cli}' --config '${space.config}' --port '${space.port}' --out '${space.out}'`,
		);
		socketPath = tmux('display-message', '-p', '#{socket_path}').trim();
		tmux('pipe-pane', '-t', 'bench', '-o', `cat >> '${frames}'`);
		screen = Number(
			tmux('display-message', '-p', '-t', 'bench', '#{pane_pid}').trim(),
		);
		const readyBy = performance.now() + 30_000;
		while (!tmux('capture-pane', '-p', '-t', 'bench').includes('● connected')) {
			if (performance.now() > readyBy) {
				throw new Error(
					`the dashboard did not connect within 30 s: ${tmux('capture-pane', '-p', '-t', 'bench').trim()}`,
				);
			}

			// eslint-disable-next-line no-await-in-loop -- polling
			await delay(50);
		}

		const collector = childOf(screen);
		if (collector === undefined) throw new Error('no collector process');
		const device = space.openDevice();
		const tickMs = Math.min(10, 1000 / options.rate);
		let sent = 0;
		let bytes = 0;
		const started = performance.now();
		const writer = setInterval(() => {
			const due = Math.floor(
				((performance.now() - started) / 1000) * options.rate,
			);
			let text = '';
			for (; sent < due; sent++) text += line(sent);
			bytes += text.length;
			if (text) device.write(text);
		}, tickMs);
		const cpuBefore = [cpuSeconds(screen)!, cpuSeconds(collector)!];
		const framesBefore = fileSize(frames);
		const measureFrom = performance.now();
		await delay(options.seconds * 1000);
		const cpuAfter = [cpuSeconds(screen), cpuSeconds(collector)];
		const seconds = (performance.now() - measureFrom) / 1000;
		const framesAfter = fileSize(frames);
		clearInterval(writer);
		if (cpuAfter.includes(undefined)) {
			throw new Error('a dashboard process ended during the measurement');
		}

		const paneOutput = readFileSync(frames, 'latin1').slice(
			framesBefore,
			framesAfter,
		);
		run.seconds = seconds;
		run.framesPerSecond =
			(paneOutput.split(synchronizedUpdate).length - 1) / seconds;
		run.bytesPerSecond = paneOutput.length / seconds;
		run.screenCpu = ((cpuAfter[0]! - cpuBefore[0]!) / seconds) * 100;
		run.collectorCpu = ((cpuAfter[1]! - cpuBefore[1]!) / seconds) * 100;
		// Everything sent handed to the PTY, then raw.log holds it or stops growing.
		const drainBy = performance.now() + 30_000;
		while (device.pending() > 0 && performance.now() < drainBy) {
			// eslint-disable-next-line no-await-in-loop -- polling
			await delay(10);
		}

		const expected = bytes + sent * stampBytes;
		let size = fileSize(space.rawLog);
		let grewAt = performance.now();
		while (size < expected && performance.now() - grewAt < 3000) {
			// eslint-disable-next-line no-await-in-loop -- polling
			await delay(20);
			const next = fileSize(space.rawLog);
			if (next > size) {
				size = next;
				grewAt = performance.now();
			}
		}

		tmux('send-keys', '-t', 'bench', 'q');
		const quitBy = performance.now() + 30_000;
		while (alive(screen) && performance.now() < quitBy) {
			// eslint-disable-next-line no-await-in-loop -- polling
			await delay(20);
		}

		run.sent = sent;
		run.lost = sent - countLines(space.rawLog);
	} catch (error) {
		run.error = error instanceof Error ? error.message : String(error);
	} finally {
		// Only this bench's own server, by its own socket name.
		spawnSync('tmux', ['-L', socket, 'kill-server']);
		// tmux leaves its socket file behind when its server exits.
		if (socketPath) rmSync(socketPath, {force: true});
		if (screen !== undefined) {
			const goneBy = performance.now() + 10_000;
			while (alive(screen) && performance.now() < goneBy) {
				// eslint-disable-next-line no-await-in-loop -- polling
				await delay(20);
			}
		}

		await space.close();
	}

	return run;
}

export async function measureDashboard(
	options: DashboardOptions & {runs: number},
): Promise<DashboardFigures> {
	const runs: DashboardRun[] = [];
	for (let index = 0; index < options.runs; index++) {
		// eslint-disable-next-line no-await-in-loop -- one dashboard at a time
		const run = await dashboardOnce(options);
		runs.push(run);
		if (run.error) break;
	}

	const ok = runs.filter((run) => run.lost !== undefined);
	const all = ok.length === runs.length;
	const of = (pick: (run: DashboardRun) => number) =>
		all ? median(ok.map((run) => pick(run))) : undefined;
	return {
		rate: options.rate,
		framesPerSecond: of((run) => run.framesPerSecond!),
		screenCpu: of((run) => run.screenCpu!),
		collectorCpu: of((run) => run.collectorCpu!),
		lost: all ? Math.max(...ok.map((run) => run.lost!)) : undefined,
		runs,
	};
}
