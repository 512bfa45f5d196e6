// The process's side of a command: its streams, the signals that stop it, and the way out.
import process from 'node:process';
import type {CommandIo} from '../commands/command-io.js';

let hungUp = false;

/**
 * SIGINT/SIGTERM (and SIGHUP: the SSH session dropped) stop the command cleanly; a second
 * one forces the exit. A reader of stdout that goes away (`| head`) stops the events, not
 * the monitoring: the files matter more than the pipe.
 */
export function createProcessIo(): CommandIo {
	let stdoutOpen = true;
	process.stdout.on('error', (error: NodeJS.ErrnoException) => {
		stdoutOpen = false;
		if (error.code !== 'EPIPE') {
			process.stderr.write(`serialwatch: stdout: ${error.message}\n`);
		}
	});
	// A terminal that hung up fails every write to it (EIO); there is no one left to tell.
	process.stderr.on('error', () => undefined);
	const controller = new AbortController();
	const stop = (signal: NodeJS.Signals) => {
		hungUp ||= signal === 'SIGHUP';
		if (controller.signal.aborted) {
			process.stderr.write(`serialwatch: ${signal} again: exiting now\n`);
			// eslint-disable-next-line unicorn/no-process-exit -- asked twice: leave without the clean-up
			process.exit(1);
		}

		controller.abort();
	};

	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	process.on('SIGHUP', stop);
	return {
		stdout(text) {
			if (stdoutOpen) {
				process.stdout.write(text);
			}
		},
		stderr(text) {
			process.stderr.write(text);
		},
		signal: controller.signal,
	};
}

export function exitProcess(code: number): void {
	// The terminal is gone: Node.js 20 restores the tty's modes on exit and aborts when that
	// fails (nodejs/node#51519, fixed in later versions). With the files closed and the report
	// written, end the way a hung-up process ends instead: by the signal's default action.
	if (
		hungUp &&
		[process.stdin, process.stdout, process.stderr].some(
			(stream) => stream.isTTY,
		)
	) {
		process.removeAllListeners('SIGHUP');
		process.kill(process.pid, 'SIGHUP');
		return;
	}

	// Let piped output drain before leaving; open handles must not keep a finished run alive.
	/* eslint-disable unicorn/no-process-exit -- the end of the command line, as cli.ts's own */
	if (process.stdout.writableEnded || process.stdout.destroyed) {
		process.exit(code);
	}

	process.stdout.write('', () => {
		process.exit(code);
	});
	/* eslint-enable unicorn/no-process-exit */
}
