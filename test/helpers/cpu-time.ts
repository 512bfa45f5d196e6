// The CPU time a child process spends, read from /proc (Linux): unlike the wall clock, it
// does not grow when other processes hold the machine's cores, so a bound on it holds on a
// busy machine as on an idle one.
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import process from 'node:process';
import {patienceMs} from './patience.js';

const ticksPerSecond =
	Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim()) ||
	100;

/** The process's state letter and the CPU time (user + system, all threads) it has spent. */
function processTimes(pid: number): {state: string; cpuMs: number} {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	// proc(5): the name, field 2, is in parentheses and may hold spaces; the state is field
	// 3, utime and stime fields 14 and 15, in clock ticks.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return {
		state: fields[0]!,
		cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond,
	};
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Sends `signal` to the child and returns the CPU time it spent from then until it exited.
 * The exited child is read as a zombie, before it is reaped: Node reaps its children on
 * its event loop, which this blocks while it waits (for at most the tests' patience).
 */
export function cpuMsFromSignalToExit(
	pid: number,
	signal: NodeJS.Signals,
): number {
	const before = processTimes(pid).cpuMs;
	process.kill(pid, signal);
	const deadline = Date.now() + patienceMs;
	for (;;) {
		const now = processTimes(pid);
		if (now.state === 'Z') {
			return now.cpuMs - before;
		}

		if (Date.now() > deadline) {
			throw new Error(
				`pid ${pid} still ran ${patienceMs / 1000} s after ${signal}`,
			);
		}

		Atomics.wait(pause, 0, 0, 5);
	}
}
