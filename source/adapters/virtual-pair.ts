// A virtual null-modem cable: two pseudo-terminals joined by socat, reachable at two
// fixed paths (symlinks socat makes), so the emulator writes one end and the monitor
// reads the other exactly as it would read a real device.
import {spawn} from 'node:child_process';
import {existsSync, lstatSync, realpathSync, rmSync} from 'node:fs';
import process from 'node:process';
import {errorCode, errorMessage} from '../core/error-message.js';
import {isOnPath} from './executable-on-path.js';
import {
	findPairHolder,
	hasExited,
	pairOwnerVariable,
	type PairHolder,
} from './pair-holder.js';

export type VirtualPair = {
	/** socat's: it keeps both PTYs open itself. */
	readonly pid: number | undefined;
	/** Stop socat and remove both links. Safe to call more than once. */
	close(): Promise<void>;
};

export type VirtualPairOptions = {
	/** How long to wait for both links to appear. */
	timeoutMs?: number;
	/** Told what was done besides creating the pair: an orphaned pair replaced. */
	onNotice?: (text: string) => void;
};

export const socatMissingMessage =
	'socat not found: install it (Debian/Ubuntu: sudo apt-get install socat; macOS: brew install socat). On Windows, create the pair with com0com instead and pass both port names.';

const pollMs = 20;
const killGraceMs = 2000;

/** Whether an executable socat is on PATH. */
export function hasSocat(): boolean {
	return isOnPath('socat');
}

export async function createVirtualPair(
	pathA: string,
	pathB: string,
	options: VirtualPairOptions = {},
): Promise<VirtualPair> {
	const timeoutMs = options.timeoutMs ?? 5000;
	for (const path of [pathA, pathB]) {
		// In socat's address syntax these characters have a meaning of their own.
		if (/[,!'"\\]/v.test(path)) {
			throw new Error(
				String.raw`cannot create the virtual port ${path}: socat cannot take a path with , ! ' " or \ in it; choose another port path`,
			);
		}

		// Whatever is at a link path, socat replaces. A stale link from a killed run may go;
		// anything else may be someone's file.
		if (existsAsNonLink(path)) {
			throw new Error(
				`cannot create the virtual port ${path}: a file that is not a symlink is already there; remove it or choose another port path`,
			);
		}
	}

	const orphans = orphanedHolders(pathA, pathB);

	// After the paths: a path that cannot work is worth saying even where socat is missing.
	if (!hasSocat()) {
		throw new Error(socatMissingMessage);
	}

	for (const [path, holder] of orphans) {
		// eslint-disable-next-line no-await-in-loop -- at most two, one after the other
		await stopProcess(holder.pid);
		options.onNotice?.(
			`replaced an orphaned pair at ${path} (socat pid ${holder.pid}, its emulator gone)`,
		);
	}

	// A killed socat leaves its links behind.
	for (const path of [pathA, pathB]) {
		if (isSymlink(path) && !isLiveLink(path)) {
			rmSync(path, {force: true});
		}
	}

	const child = spawn(
		'socat',
		[
			'-d',
			'-d',
			`pty,raw,echo=0,link=${pathA}`,
			`pty,raw,echo=0,link=${pathB}`,
		],
		{
			stdio: ['ignore', 'ignore', 'pipe'],
			// Lets the next run tell this socat, once orphaned, from one whose emulator runs.
			env: {...process.env, [pairOwnerVariable]: String(process.pid)},
		},
	);
	let stderr = '';
	child.stderr.setEncoding('utf8');
	child.stderr.on('data', (chunk: string) => {
		// Only the start matters for error messages; do not let a chatty socat grow this.
		if (stderr.length < 4000) {
			stderr += chunk;
		}
	});

	const exited = new Promise<void>((resolve) => {
		child.once('exit', () => {
			resolve();
		});
	});
	let spawnError: NodeJS.ErrnoException | undefined;
	child.once('error', (error) => {
		spawnError = error;
	});

	const removeLinks = () => {
		for (const path of [pathA, pathB]) {
			if (isSymlink(path)) {
				rmSync(path, {force: true});
			}
		}
	};

	let closed = false;
	const close = async () => {
		if (closed) {
			return;
		}

		closed = true;
		// A child that failed to spawn has no pid and may never emit 'exit'.
		if (
			child.pid !== undefined &&
			child.exitCode === null &&
			child.signalCode === null
		) {
			// SIGTERM lets socat remove its links itself; SIGKILL is the fallback if it hangs.
			child.kill('SIGTERM');
			const timer = setTimeout(() => {
				child.kill('SIGKILL');
			}, killGraceMs);
			await exited;
			clearTimeout(timer);
		}

		removeLinks();
	};

	const failure = await waitForLinks();
	if (failure !== undefined) {
		await close();
		throw new Error(failure);
	}

	return {pid: child.pid, close};

	/** Undefined once both links exist, else why they will not. */
	async function waitForLinks(): Promise<string | undefined> {
		const deadline = performance.now() + timeoutMs;
		for (;;) {
			if (spawnError) {
				return spawnError.code === 'ENOENT'
					? socatMissingMessage
					: `cannot start socat: ${spawnError.message}`;
			}

			if (child.exitCode !== null || child.signalCode !== null) {
				return `socat exited before linking ${pathA} and ${pathB}: ${lastLines(stderr)}`;
			}

			// socat says which PTY it made for each address, in order: the links must name
			// those, not be stale ones left by a killed run that socat has yet to replace.
			const made = [...stderr.matchAll(/PTY is (\S+)/g)].map(
				(match) => match[1],
			);
			if (
				made.length >= 2 &&
				linksTo(pathA, made[0]!) &&
				linksTo(pathB, made[1]!)
			) {
				return undefined;
			}

			if (performance.now() > deadline) {
				return `socat did not create ${pathA} and ${pathB} within ${timeoutMs} ms${stderr ? `: ${lastLines(stderr)}` : ''}`;
			}

			// eslint-disable-next-line no-await-in-loop -- polling, one wait at a time
			await new Promise((resolve) => {
				setTimeout(resolve, pollMs);
			});
		}
	}
}

/**
 * The socat holding each live link whose starter is gone, by the first path it holds.
 * Throws when a link is held by a pair that is running, or by something unknown: replacing
 * it would cut that pair off from its monitor.
 */
function orphanedHolders(
	pathA: string,
	pathB: string,
): Map<string, PairHolder> {
	const orphans = new Map<string, PairHolder>();
	const seen = new Set<number>();
	for (const path of [pathA, pathB]) {
		if (!isLiveLink(path)) {
			continue;
		}

		const holder = findPairHolder(path);
		if (holder === undefined) {
			throw new Error(
				`a virtual pair is already running at ${path} (another \`serialwatch emulate --pair\`?): stop it, or pass --port with another path`,
			);
		}

		if (!holder.orphaned) {
			const stop = holder.ours ? 'stop that emulate first' : 'stop it first';
			throw new Error(
				`a virtual pair is already running at ${path}, held by socat pid ${holder.pid}, started by pid ${holder.parent}: ${stop}, or pass --port with another path`,
			);
		}

		if (!seen.has(holder.pid)) {
			seen.add(holder.pid);
			orphans.set(path, holder);
		}
	}

	return orphans;
}

/** SIGTERM (socat then removes its links), SIGKILL if it has not gone within the grace. */
async function stopProcess(pid: number): Promise<void> {
	for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
		try {
			process.kill(pid, signal);
		} catch (error) {
			if (errorCode(error) === 'ESRCH') {
				return;
			}

			// EPERM: another user's socat, which only that user (or root) may stop.
			throw new Error(
				`cannot stop the orphaned socat pid ${pid} holding the virtual pair (${errorCode(error) ?? errorMessage(error)})`,
				{cause: error},
			);
		}

		const deadline = performance.now() + killGraceMs;
		while (!hasExited(pid) && performance.now() < deadline) {
			// eslint-disable-next-line no-await-in-loop -- polling, one wait at a time
			await new Promise((resolve) => {
				setTimeout(resolve, pollMs);
			});
		}

		if (hasExited(pid)) {
			return;
		}
	}

	throw new Error(
		`the orphaned socat pid ${pid} holding the virtual pair did not exit after SIGKILL`,
	);
}

function linksTo(path: string, target: string): boolean {
	try {
		return isSymlink(path) && realpathSync(path) === realpathSync(target);
	} catch {
		return false;
	}
}

function isSymlink(path: string): boolean {
	try {
		return lstatSync(path).isSymbolicLink();
	} catch {
		return false;
	}
}

function isLiveLink(path: string): boolean {
	try {
		return lstatSync(path).isSymbolicLink() && existsSync(path);
	} catch {
		return false;
	}
}

function existsAsNonLink(path: string): boolean {
	try {
		return !lstatSync(path).isSymbolicLink();
	} catch {
		return false;
	}
}

function lastLines(text: string): string {
	return text.trim().split('\n').slice(-3).join(' | ') || '(no output)';
}
