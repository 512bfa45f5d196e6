// The one place where whatever stopped a command becomes what the user reads and the exit
// code, in every mode and every process: the command line (headless monitor, replay,
// detect, emulate, init, ports), the dashboard's screen process and its collector. So the
// same fault reads the same, and exits the same, however serialwatch was run.
// Exit codes: 1 runtime failure, 2 bad usage or bad input (a config, a scenario, a secret).
import {InputError} from './input-error.js';
import {RunFailure} from './run-failure.js';
import {UsageError} from './usage-error.js';

export type FailureAnswer = {
	exitCode: 1 | 2;
	/** Without the `serialwatch:` head, which the caller puts on; no trailing newline. */
	message: string;
};

export function describeFailure(error: unknown): FailureAnswer {
	if (error instanceof UsageError) {
		return {exitCode: 2, message: error.message};
	}

	if (error instanceof InputError) {
		return {exitCode: 2, message: `bad ${error.subject}:\n${error.message}`};
	}

	if (error instanceof RunFailure) {
		return {exitCode: 1, message: error.message};
	}

	// Not foreseen: a bug, whose stack is what a report of it needs.
	return {
		exitCode: 1,
		message:
			error instanceof Error ? (error.stack ?? error.message) : String(error),
	};
}
