// A virtual null-modem cable: two pseudo-terminals joined by socat, reachable at two
// fixed paths (symlinks socat makes), so the emulator writes one end and the monitor
// reads the other exactly as it would read a real device.
import {spawn} from 'node:child_process';
import {existsSync, lstatSync, realpathSync, rmSync} from 'node:fs';
import {isOnPath} from './executable-on-path.js';

export type VirtualPair = {
	/** socat's: it keeps both PTYs open itself. */
	readonly pid: number | undefined;
	/** Stop socat and remove both links. Safe to call more than once. */
	close(): Promise<void>;
};

export type VirtualPairOptions = {
	/** How long to wait for both links to appear. */
	timeoutMs?: number;
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

		// A link to a PTY that still exists belongs to a pair that is running (another
		// `emulate --pair`): replacing it would cut that pair off from its monitor.
		if (isLiveLink(path)) {
			throw new Error(
				`a virtual pair is already running at ${path} (another \`serialwatch emulate --pair\`?): stop it, or pass --port with another path`,
			);
		}
	}

	// After the paths: a path that cannot work is worth saying even where socat is missing.
	if (!hasSocat()) {
		throw new Error(socatMissingMessage);
	}

	const child = spawn(
		'socat',
		[
			'-d',
			'-d',
			`pty,raw,echo=0,link=${pathA}`,
			`pty,raw,echo=0,link=${pathB}`,
		],
		{stdio: ['ignore', 'ignore', 'pipe']},
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
