// A CommandIo that keeps what a command prints, for running commands in the test's process.
import type {CommandIo} from '../../source/commands/command-io.js';

export function recordingIo(
	signal = new AbortController().signal,
): CommandIo & {
	out: () => string;
	err: () => string;
} {
	let out = '';
	let error = '';
	return {
		signal,
		stdout(text) {
			out += text;
		},
		stderr(text) {
			error += text;
		},
		out: () => out,
		err: () => error,
	};
}
