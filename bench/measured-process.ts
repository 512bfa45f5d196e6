// One whole process, timed from spawn to exit, with its peak resident memory: VmHWM from
// /proc/PID/status (the high-water mark over the process's life), read every few ms, so
// only a spike in its last few milliseconds could be missed. A process past its memory or
// time cap is killed: on a shared machine a runaway must not take everyone's memory. Its CPU
// time (utime + stime from /proc/PID/stat, read as often) is the figure a busy machine
// distorts least: wall time counts the time others held the cores.
import {spawn, spawnSync, type StdioOptions} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {peakRss} from '../test/helpers/peak-rss.js';

export type ProcessResult = {
	wallMs: number;
	/** CPU time up to its last reading, a few ms before exit; undefined without /proc. */
	cpuMs: number | undefined;
	/** Undefined where /proc is not there to read (not Linux). */
	peakRssMiB: number | undefined;
	code: number | null;
	/** Why the bench killed it, if it did. */
	killed?: string;
	stdout: string;
	stderr: string;
};

export type ProcessLimits = {rssCapMiB?: number; timeoutMs?: number};

const pollMs = 5;
const mib = 1024 * 1024;
const clockTicks = Number(
	spawnSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).stdout?.trim() || 100,
);

/** utime + stime in ms; undefined once the process is gone. */
function cpuMsOf(pid: number): number | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The fields after the command name, which is in parentheses and may hold spaces.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
	} catch {
		return undefined;
	}
}

export async function runMeasured(
	command: string,
	args: readonly string[],
	limits: ProcessLimits = {},
	stdio: StdioOptions = ['ignore', 'pipe', 'pipe'],
): Promise<ProcessResult> {
	const started = performance.now();
	const child = spawn(command, args, {stdio});
	let stdout = '';
	let stderr = '';
	child.stdout?.setEncoding('utf8').on('data', (text: string) => {
		if (stdout.length < 100_000) stdout += text;
	});
	child.stderr?.setEncoding('utf8').on('data', (text: string) => {
		if (stderr.length < 100_000) stderr += text;
	});
	let peak: number | undefined;
	let cpuMs: number | undefined;
	let killed: string | undefined;
	const kill = (why: string) => {
		if (!killed) {
			killed = why;
			child.kill('SIGKILL');
		}
	};

	const timer = setInterval(() => {
		peak = peakRss(child.pid!) ?? peak;
		cpuMs = cpuMsOf(child.pid!) ?? cpuMs;
		if (
			limits.rssCapMiB !== undefined &&
			peak !== undefined &&
			peak > limits.rssCapMiB * mib
		) {
			kill(`peak RSS past the bench's cap of ${limits.rssCapMiB} MiB`);
		}

		if (
			limits.timeoutMs !== undefined &&
			performance.now() - started > limits.timeoutMs
		) {
			kill(
				`still running after the bench's cap of ${limits.timeoutMs / 1000} s`,
			);
		}
	}, pollMs);
	const code = await new Promise<number | null>((resolve, reject) => {
		child.once('error', reject);
		child.once('exit', (exitCode) => {
			resolve(exitCode);
		});
	});
	const wallMs = performance.now() - started;
	clearInterval(timer);
	return {
		wallMs,
		cpuMs,
		peakRssMiB: peak === undefined ? undefined : peak / mib,
		code,
		killed,
		stdout,
		stderr,
	};
}

export function median(values: readonly number[]): number {
	const sorted = values.toSorted((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1
		? sorted[middle]!
		: (sorted[middle - 1]! + sorted[middle]!) / 2;
}
