// The monitor as users run it headless on a port: spawned, watched on stderr, stopped with
// SIGTERM (which flushes its files and writes the report) and waited for.
import {spawn, type ChildProcess} from 'node:child_process';
import {closeSync, openSync, readSync, statSync} from 'node:fs';
import process from 'node:process';
import {setTimeout as delay} from 'node:timers/promises';
import {inspectorGuard} from '../source/adapters/inspector-guard.js';

export type MonitorProcess = {
	readonly child: ChildProcess;
	readonly startedAt: number;
	stderr(): string;
	/** Resolves with performance.now() when a stderr line matches; rejects after timeoutMs. */
	waitForStderr(pattern: RegExp, timeoutMs: number): Promise<number>;
	/** SIGTERM, then SIGKILL if it has not exited within graceMs; resolves with the exit code. */
	stop(graceMs: number): Promise<number | null>;
};

export function startMonitor(options: {
	cli: string;
	port: string;
	out: string;
	cwd: string;
	/** A config file of the bench's own (else the cwd's config.yaml, if any). */
	config?: string;
	/** Each stdout line (an event) with performance.now() when it was read; else stdout is ignored. */
	onStdoutLine?: (line: string, at: number) => void;
}): MonitorProcess {
	const startedAt = performance.now();
	const child = spawn(
		process.execPath,
		[
			inspectorGuard,
			options.cli,
			'--headless',
			'--port',
			options.port,
			'--out',
			options.out,
			...(options.config ? ['--config', options.config] : []),
		],
		{
			cwd: options.cwd,
			stdio: ['ignore', options.onStdoutLine ? 'pipe' : 'ignore', 'pipe'],
		},
	);
	const {onStdoutLine} = options;
	if (onStdoutLine) {
		let partial = '';
		child.stdout!.setEncoding('utf8').on('data', (text: string) => {
			const at = performance.now();
			const lines = (partial + text).split('\n');
			partial = lines.pop()!;
			for (const line of lines) onStdoutLine(line, at);
		});
	}

	let stderr = '';
	const exited = new Promise<number | null>((resolve) => {
		child.once('exit', resolve);
	});
	child.stderr!.setEncoding('utf8').on('data', (text: string) => {
		if (stderr.length < 100_000) stderr += text;
	});

	return {
		child,
		startedAt,
		stderr: () => stderr,
		async waitForStderr(pattern, timeoutMs) {
			const deadline = performance.now() + timeoutMs;
			while (!pattern.test(stderr)) {
				if (performance.now() > deadline || child.exitCode !== null) {
					throw new Error(
						`the monitor did not print ${pattern} within ${timeoutMs / 1000} s: ${stderr.trim()}`,
					);
				}

				// eslint-disable-next-line no-await-in-loop -- polling
				await delay(5);
			}

			return performance.now();
		},
		async stop(graceMs) {
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGTERM');
			}

			const timer = setTimeout(() => {
				child.kill('SIGKILL');
			}, graceMs);
			const code = await exited;
			clearTimeout(timer);
			return code;
		},
	};
}

export function fileSize(path: string): number {
	try {
		return statSync(path).size;
	} catch {
		return 0;
	}
}

export function countLines(path: string): number {
	const fd = openSync(path, 'r');
	const buffer = new Uint8Array(1024 * 1024);
	let count = 0;
	for (;;) {
		const read = readSync(fd, buffer, 0, buffer.length, null);
		if (read === 0) break;
		for (
			let index = buffer.indexOf(0x0a);
			index !== -1 && index < read;
			index = buffer.indexOf(0x0a, index + 1)
		) {
			count++;
		}
	}

	closeSync(fd);
	return count;
}
