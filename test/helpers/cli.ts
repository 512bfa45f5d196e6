// Runs the built CLI (dist/cli.js, what `serialwatch` is) as a user would, in a child process.
import process from 'node:process';
import {chmodSync} from 'node:fs';
import {spawn, type ChildProcess} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import type {ExecutionContext} from 'ava';
import {inspectorGuard} from '../../source/adapters/inspector-guard.js';
import {waitLimit} from './patience.js';

export const cliPath = fileURLToPath(
	new URL('../../dist/cli.js', import.meta.url),
);

export type Running = {
	child: ChildProcess;
	stdout: () => string;
	stderr: () => string;
	/** Resolves with the exit code. */
	exited: Promise<number | null>;
	/** Resolves when stderr or stdout has shown the pattern. */
	waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
};

/**
 * The command as npm installs it: dist/cli.js run through its `#!` line (npm makes bin
 * files executable), so that the Node.js options on that line apply.
 */
export function installedCli(): string {
	chmodSync(cliPath, 0o755);
	return cliPath;
}

export function startCli(
	args: string[],
	options: {
		cwd?: string;
		/** Run through the `#!` line, as the installed command is, not as `node dist/cli.js`. */
		asInstalled?: boolean;
		/** stdout a pipe that the test never reads. */
		stdoutUnread?: boolean;
	} = {},
): Running {
	const child = options.asInstalled
		? spawn(installedCli(), args, {
				cwd: options.cwd,
				stdio: ['ignore', 'pipe', 'pipe'],
			})
		: spawn(process.execPath, [inspectorGuard, cliPath, ...args], {
				cwd: options.cwd,
				stdio: ['ignore', 'pipe', 'pipe'],
			});
	let out = '';
	let error = '';
	const listeners = new Set<() => void>();
	if (options.stdoutUnread) {
		// Paused and never read: the pipe fills and stays full.
		child.stdout.pause();
	} else {
		child.stdout.setEncoding('utf8').on('data', (text: string) => {
			out += text;
			for (const listener of listeners) listener();
		});
	}

	child.stderr.setEncoding('utf8').on('data', (text: string) => {
		error += text;
		for (const listener of listeners) listener();
	});
	const exited = new Promise<number | null>((resolve) => {
		child.on('exit', (code) => {
			resolve(code);
		});
	});
	return {
		child,
		stdout: () => out,
		stderr: () => error,
		exited,
		async waitFor(pattern, timeoutMs) {
			await new Promise<void>((resolve, reject) => {
				const check = () => {
					if (pattern.test(out) || pattern.test(error)) {
						listeners.delete(check);
						clearTimeout(timer);
						resolve();
					}
				};

				const timer = setTimeout(() => {
					listeners.delete(check);
					reject(
						new Error(
							`timed out waiting for ${pattern}\nstdout:\n${out}\nstderr:\n${error}`,
						),
					);
				}, waitLimit(timeoutMs));
				listeners.add(check);
				check();
				void exited.then(() => {
					if (listeners.has(check)) {
						listeners.delete(check);
						clearTimeout(timer);
						reject(
							new Error(
								`exited before ${pattern}\nstdout:\n${out}\nstderr:\n${error}`,
							),
						);
					}
				});
			});
		},
	};
}

/** How long a child has to stop cleanly at teardown before it is killed. */
const stopGraceMs = 5000;

/**
 * Makes sure the child is gone when the test ends, passed or failed: SIGTERM (a clean
 * stop, so that `emulate --pair` takes its socat down with it) unless the test already
 * signalled it, SIGKILL if it is still there after a grace period, then waits for its exit.
 * Register it after `temporaryDirectory`, so that it runs before the directory goes.
 */
export function stopOnTeardown(t: ExecutionContext, running: Running): Running {
	t.teardown(async () => {
		const {child} = running;
		if (child.exitCode !== null || child.signalCode !== null) {
			return;
		}

		// A second signal would make the CLI exit at once, without its clean-up.
		if (!child.killed) {
			child.kill('SIGTERM');
		}

		const timer = setTimeout(() => {
			child.kill('SIGKILL');
		}, stopGraceMs);
		await running.exited;
		clearTimeout(timer);
	});
	return running;
}

/** A command run to its end; one still running after this long is killed, and the call fails. */
const runLimitMs = 5 * 60_000;

export async function runCli(
	args: string[],
	options: {cwd?: string} = {},
): Promise<{code: number | null; stdout: string; stderr: string}> {
	const running = startCli(args, options);
	// 'exit' can come before the last of stdout and stderr is read (Node's child_process
	// docs); 'close' comes after both pipes have ended.
	const closed = new Promise<void>((resolve) => {
		running.child.on('close', () => {
			resolve();
		});
	});
	let killed = false;
	const timer = setTimeout(() => {
		killed = true;
		running.child.kill('SIGKILL');
	}, runLimitMs);
	const code = await running.exited;
	clearTimeout(timer);
	await closed;
	if (killed) {
		throw new Error(
			`serialwatch ${args.join(' ')} still ran after ${runLimitMs / 1000} s: killed\nstderr:\n${running.stderr()}`,
		);
	}

	return {code, stdout: running.stdout(), stderr: running.stderr()};
}
