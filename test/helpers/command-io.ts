// A CommandIo that keeps what a command prints, for running commands in the test's process.
import type {CommandIo} from '../../source/commands/command-io.js';
import {createLineQueue} from '../../source/adapters/line-queue.js';

export function recordingIo(
	signal = new AbortController().signal,
): CommandIo & {
	out: () => string;
	err: () => string;
	/** As a SIGUSR1 would. */
	requestReport(): void;
} {
	let out = '';
	let error = '';
	let answer: (() => void) | undefined;
	let asked = false;
	return {
		signal,
		stdout(text) {
			out += text;
		},
		stderr(text) {
			error += text;
		},
		events: createLineQueue(
			{
				write(text) {
					out += text;
					return true;
				},
				onceDrained: () => undefined,
			},
			{capacity: Number.POSITIVE_INFINITY},
		),
		reportRequests: {
			answer(next) {
				answer = next;
				if (asked) {
					asked = false;
					next();
				}

				return () => {
					answer = undefined;
				};
			},
		},
		requestReport() {
			if (answer) {
				answer();
			} else {
				asked = true;
			}
		},
		out: () => out,
		err: () => error,
	};
}
