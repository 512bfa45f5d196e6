// Whether a program has a pseudo-terminal open. A PTY drops what is written to its other
// end while nobody has it open, so `emulate --pair` waits for the monitor before it sends
// its first line: then every line it sends reaches the monitor. Linux only (/proc); where
// it cannot tell, it says so and the caller does not wait.
import {readdirSync, readlinkSync, realpathSync} from 'node:fs';
import {join} from 'node:path';

/**
 * True when some process has the terminal device that `path` (a link, as socat makes)
 * names open; false when none has, or the path names nothing; undefined when this cannot
 * be told here (no /proc). socat keeps each of its PTYs open itself: its pid goes in `exclude`.
 */
export function ptyHasReader(
	path: string,
	exclude: readonly number[] = [],
	procRoot = '/proc',
): boolean | undefined {
	let pids: string[];
	try {
		pids = readdirSync(procRoot).filter(
			(name) => /^\d+$/.test(name) && !exclude.includes(Number(name)),
		);
	} catch {
		return undefined;
	}

	let device: string;
	try {
		device = realpathSync(path);
	} catch {
		return false;
	}

	return pids.some((pid) => {
		const fdDirectory = join(procRoot, pid, 'fd');
		let fds: string[];
		try {
			fds = readdirSync(fdDirectory);
		} catch {
			// Gone, or another user's process: not readable.
			return false;
		}

		return fds.some((fd) => {
			try {
				return readlinkSync(join(fdDirectory, fd)) === device;
			} catch {
				return false;
			}
		});
	});
}

/**
 * Resolves true once a process has `path` open, false when `signal` stopped the wait or
 * this cannot be told here (then the caller goes on without waiting).
 */
export async function waitForPtyReader(
	path: string,
	signal: AbortSignal,
	options: {
		exclude?: readonly number[];
		pollMs?: number;
		onWaiting?: () => void;
	} = {},
): Promise<boolean> {
	const pollMs = options.pollMs ?? 50;
	let told = false;
	while (!signal.aborted) {
		const reader = ptyHasReader(path, options.exclude);
		if (reader !== false) {
			return reader === true;
		}

		if (!told) {
			told = true;
			options.onWaiting?.();
		}

		// eslint-disable-next-line no-await-in-loop
		await new Promise<void>((resolve) => {
			const timer = setTimeout(done, pollMs);
			function done() {
				clearTimeout(timer);
				signal.removeEventListener('abort', done);
				resolve();
			}

			signal.addEventListener('abort', done);
		});
	}

	return false;
}
