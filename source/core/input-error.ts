// A file the user gave that cannot be used as it is (a config, a scenario): the command
// stops with exit code 2 and prints every problem, one per line.

/** `problems` lines read `<source>:<line>:<col>: <key>: <problem>` where a line is known. */
export class InputError extends Error {
	readonly problems: string[];
	/** What the input is, for the message's head: `bad config:`. */
	readonly subject: string;

	constructor(subject: string, problems: string[]) {
		super(problems.join('\n'));
		this.name = 'InputError';
		this.subject = subject;
		this.problems = problems;
	}
}
