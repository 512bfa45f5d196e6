// Runs each test file in an AVA process of its own, in a process group of its own, with a
// hard time bound: a file whose worker cannot exit (a test that left a session, a server or
// a timer running) is killed with everything it started and reported by name, and the run
// goes on. A file that ends but leaves a process running is a failure too: a test stops
// what it starts. What a file started is found by its process group and, for what left the
// group (a tmux server daemonizes, a test may start a detached group), by a marker in the
// environment that every descendant inherits.
import {execFileSync, spawn} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';
import process from 'node:process';

export type FileStatus = 'passed' | 'failed' | 'stuck' | 'left-running';

export type FileOutcome = {
	file: string;
	status: FileStatus;
	/** AVA's exit code, or null when it was killed. */
	code: number | null;
	durationMs: number;
	/** AVA's own output (stdout and stderr, as they came), its tail if it was very long. */
	output: string;
	/** What the file left running after its AVA process ended (`pid command`). */
	leftRunning: string[];
};

export type RunOptions = {
	files: readonly string[];
	/** Aborted: the files running are killed with what they started, and no more start. */
	signal?: AbortSignal;
	/** How many files run at once. */
	jobs: number;
	/** A file still running after this long is stuck: it is killed and reported. */
	fileTimeoutMs: number;
	/** How long a stuck file's group has between SIGTERM and SIGKILL. */
	killGraceMs?: number;
	/** How long a finished file's leftover processes have to end by themselves. */
	leftoverGraceMs?: number;
	env?: NodeJS.ProcessEnv;
	/** The command that runs one file: [executable, ...arguments]. */
	commandFor(file: string): readonly string[];
	onFileDone?(outcome: FileOutcome): void;
};

const outputLimit = 1024 * 1024;

/** The live (non-zombie) processes of a process group, `pid command` each; [] off Linux/macOS. */
export function processGroupMembers(group: number): string[] {
	let text: string;
	try {
		text = execFileSync('ps', ['-A', '-o', 'pid=,pgid=,stat=,args='], {
			encoding: 'utf8',
		});
	} catch {
		return [];
	}

	return text.split('\n').flatMap((line) => {
		const match = /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line);
		return match && Number(match[2]) === group && !match[3]!.startsWith('Z')
			? [`${match[1]} ${match[4]}`]
			: [];
	});
}

/** The environment variable that marks every process a test file started. */
export const markerVariable = 'SERIALWATCH_TEST_MARKER';

/** The live processes whose environment carries the marker, `pid command` each; [] without /proc. */
export function markedProcesses(marker: string): string[] {
	const wanted = `${markerVariable}=${marker}\0`;
	let pids: string[];
	try {
		pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
	} catch {
		return [];
	}

	return pids.flatMap((pid) => {
		try {
			if (!readFileSync(`/proc/${pid}/environ`, 'latin1').includes(wanted)) {
				return [];
			}

			// The state follows the command's closing parenthesis; Z is a zombie.
			const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
			if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) {
				return [];
			}

			const command = readFileSync(`/proc/${pid}/cmdline`, 'latin1')
				.split('\0')
				.filter(Boolean)
				.join(' ');
			return [`${pid} ${command}`];
		} catch {
			// Gone meanwhile, or not ours to read.
			return [];
		}
	});
}

function leftovers(group: number, marker: string): string[] {
	return [
		...new Set([...processGroupMembers(group), ...markedProcesses(marker)]),
	];
}

function killMarked(marker: string, signal: NodeJS.Signals): void {
	for (const entry of markedProcesses(marker)) {
		try {
			process.kill(Number(entry.split(' ')[0]), signal);
		} catch {
			// Gone already.
		}
	}
}

function killGroup(group: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-group, signal);
	} catch {
		// The group is gone already.
	}
}

const sleep = async (ms: number) =>
	new Promise<void>((resolve) => {
		setTimeout(resolve, ms);
	});

let runs = 0;

async function runFile(
	file: string,
	options: RunOptions,
): Promise<FileOutcome> {
	const startedAt = Date.now();
	const marker = `${process.pid}-${++runs}-${startedAt}`;
	const [command, ...args] = options.commandFor(file);
	// Detached: the file's processes form a group of their own, which can be killed whole.
	const child = spawn(command!, args, {
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
		env: {...(options.env ?? process.env), [markerVariable]: marker},
	});
	let output = '';
	const take = (chunk: Uint8Array) => {
		output += new TextDecoder().decode(chunk);
		if (output.length > outputLimit) {
			output = output.slice(-outputLimit);
		}
	};

	child.stdout.on('data', take);
	child.stderr.on('data', take);
	let stuck = false;
	const killGraceMs = options.killGraceMs ?? 5000;
	const killAll = () => {
		killGroup(child.pid!, 'SIGTERM');
		killMarked(marker, 'SIGTERM');
		setTimeout(() => {
			killGroup(child.pid!, 'SIGKILL');
			killMarked(marker, 'SIGKILL');
		}, killGraceMs).unref();
	};

	const timer = setTimeout(() => {
		stuck = true;
		killAll();
	}, options.fileTimeoutMs);
	options.signal?.addEventListener('abort', killAll, {once: true});
	const code = await new Promise<number | null>((resolve) => {
		child.once('error', (error) => {
			output += `${String(error)}\n`;
			resolve(null);
		});
		child.once('exit', (exitCode) => {
			resolve(exitCode);
		});
	});
	clearTimeout(timer);
	options.signal?.removeEventListener('abort', killAll);

	// What the file's tests started and did not stop is still running: wait a moment for
	// it to end by itself, then say what it was and kill it.
	let leftRunning: string[] = [];
	if (child.pid !== undefined) {
		const deadline = Date.now() + (options.leftoverGraceMs ?? 3000);
		leftRunning = leftovers(child.pid, marker);
		while (leftRunning.length > 0 && Date.now() < deadline) {
			// eslint-disable-next-line no-await-in-loop
			await sleep(100);
			leftRunning = leftovers(child.pid, marker);
		}

		killGroup(child.pid, 'SIGKILL');
		killMarked(marker, 'SIGKILL');
	}

	// A process outside the group may still hold the pipes open: do not wait on it for ever.
	await Promise.race([
		new Promise((resolve) => {
			if (child.stdout.closed && child.stderr.closed) {
				resolve(undefined);
			} else {
				child.once('close', resolve);
			}
		}),
		sleep(2000),
	]);
	child.stdout.destroy();
	child.stderr.destroy();

	const status: FileStatus = stuck
		? 'stuck'
		: code === 0
			? leftRunning.length > 0
				? 'left-running'
				: 'passed'
			: 'failed';
	return {
		file,
		status,
		code: stuck ? null : code,
		durationMs: Date.now() - startedAt,
		output,
		leftRunning: stuck ? [] : leftRunning,
	};
}

/** Runs every file, `jobs` at a time; outcomes in the order of `files`. */
export async function runTestFiles(
	options: RunOptions,
): Promise<FileOutcome[]> {
	const outcomes: FileOutcome[] = [];
	let next = 0;
	const worker = async () => {
		while (next < options.files.length && !options.signal?.aborted) {
			const index = next++;
			// eslint-disable-next-line no-await-in-loop
			const outcome = await runFile(options.files[index]!, options);
			outcomes[index] = outcome;
			options.onFileDone?.(outcome);
		}
	};

	await Promise.all(
		Array.from({length: Math.max(1, options.jobs)}, async () => worker()),
	);
	// Files an abort kept from starting have no outcome.
	return outcomes.filter(Boolean);
}

/** One line per file that did not pass, naming it and why. */
export function describeFailure(
	outcome: FileOutcome,
	timeoutMs: number,
): string {
	switch (outcome.status) {
		case 'stuck': {
			return `✘ ${outcome.file}: still running after ${Math.round(timeoutMs / 1000)} s, killed with everything it started`;
		}

		case 'left-running': {
			return `✘ ${outcome.file}: its tests passed but left running: ${outcome.leftRunning.join('; ')}`;
		}

		case 'failed': {
			return `✘ ${outcome.file}: failed (exit ${outcome.code ?? 'by signal'})`;
		}

		case 'passed': {
			return `✔ ${outcome.file}`;
		}
	}
}
