// The processes a test did not start itself but must find and watch: the dashboard's
// screen process under a tmux pane, its collector under it. Read from `ps`, which Linux
// and macOS both have.
import {execFileSync} from 'node:child_process';
import {waitUntil} from './wait-until.js';

export type ProcessEntry = {
	pid: number;
	parent: number;
	/** `ps`'s state letters: `Z` first for a zombie (exited, not yet reaped). */
	state: string;
	command: string;
};

function allProcesses(): ProcessEntry[] {
	const text = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,stat=,args='], {
		encoding: 'utf8',
	});
	return text.split('\n').flatMap((line) => {
		const match = /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line);
		return match
			? [
					{
						pid: Number(match[1]),
						parent: Number(match[2]),
						state: match[3]!,
						command: match[4]!,
					},
				]
			: [];
	});
}

/** The live children of a process (zombies left out). */
export function childProcesses(pid: number): ProcessEntry[] {
	return allProcesses().filter(
		(entry) => entry.parent === pid && !entry.state.startsWith('Z'),
	);
}

/**
 * Whether the process still runs. A zombie does not: once its parent is killed it is
 * reparented to whatever reaps orphans here, which in a container may be slow to do so.
 */
export function isRunning(pid: number): boolean {
	const entry = allProcesses().find((candidate) => candidate.pid === pid);
	return entry !== undefined && !entry.state.startsWith('Z');
}

/** The one live child of `pid` whose command line matches, waited for. */
export async function waitForChild(
	pid: number,
	command: RegExp,
	timeoutMs?: number,
): Promise<ProcessEntry> {
	let found: ProcessEntry | undefined;
	await waitUntil(
		() => {
			found = childProcesses(pid).find((entry) => command.test(entry.command));
			return found !== undefined;
		},
		`a child of ${pid} running ${command}`,
		timeoutMs,
	);
	return found!;
}

export async function waitForProcessExit(
	pid: number,
	what: string,
	timeoutMs?: number,
): Promise<void> {
	await waitUntil(
		() => !isRunning(pid),
		`${what} (pid ${pid}) exits`,
		timeoutMs,
	);
}
