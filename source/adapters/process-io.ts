// The process's side of a command: its streams, the signals that stop it, and the way out.
import process from 'node:process';
import type {CommandIo} from '../commands/command-io.js';
import {createLineQueue, type LineQueue} from './line-queue.js';
import type {ReportRequests} from './report-requests.js';

let hungUp = false;
let events: LineQueue | undefined;

// About a minute of a busy device's events; a few MB at most.
const eventCapacity = 10_000;
// How long the end of a run waits for a reader of its events that has fallen behind.
const eventSettleMs = 1000;

/**
 * SIGINT/SIGTERM (and SIGHUP: the SSH session dropped) stop the command cleanly; a second
 * one forces the exit. A reader of stdout that goes away (`| head`) stops the events, not
 * the monitoring: the files matter more than the pipe.
 */
export function createProcessIo(reportRequests: ReportRequests): CommandIo {
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
	events = createLineQueue(
		{
			// A reader that went away takes everything: there is no one left to wait for.
			write: (text) => !stdoutOpen || process.stdout.write(text),
			onceDrained(listener) {
				process.stdout.once('drain', listener);
				process.stdout.once('error', listener);
			},
		},
		{
			capacity: eventCapacity,
			onDropping() {
				process.stderr.write(
					`serialwatch: stdout is not being read: events beyond ${eventCapacity} waiting are dropped, oldest first (the files keep everything)\n`,
				);
			},
			onCaughtUp(dropped) {
				process.stderr.write(
					`serialwatch: stdout is read again; ${dropped} events were dropped meanwhile\n`,
				);
			},
		},
	);
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
		events,
		reportRequests,
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

	void leave(code);
}

/**
 * Lets piped output drain before leaving; open handles must not keep a finished run alive.
 * A command's output (a replay's, help) is waited for as long as its reader takes; a
 * stream of events only briefly, for a reader that stopped reading must not hold up a stop.
 */
async function leave(code: number): Promise<void> {
	/* eslint-disable unicorn/no-process-exit -- the end of the command line, as cli.ts's own */
	if (events && events.written > 0) {
		const queue = events;
		setTimeout(() => {
			process.stderr.write(
				`serialwatch: stdout was not read: ${queue.waiting} events and ${process.stdout.writableLength} bytes left unwritten at exit\n`,
			);
			process.exit(code);
		}, eventSettleMs);
		await queue.settle(eventSettleMs);
	}

	if (process.stdout.writableEnded || process.stdout.destroyed) {
		process.exit(code);
	}

	process.stdout.write('', () => {
		process.exit(code);
	});
	/* eslint-enable unicorn/no-process-exit */
}
