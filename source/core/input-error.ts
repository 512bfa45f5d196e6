// A file the user gave that cannot be used as it is (a config, a scenario): the command
// stops with exit code 2 and prints its problems, one per line: the first maxProblemsShown,
// then how many more (a hostile file can have a hundred thousand).

export const maxProblemsShown = 20;

/** `problems` lines read `<source>:<line>:<col>: <key>: <problem>` where a line is known. */
export class InputError extends Error {
	readonly problems: string[];
	/** What the input is, for the message's head: `bad config:`. */
	readonly subject: string;

	constructor(subject: string, problems: string[]) {
		const shown =
			problems.length > maxProblemsShown
				? [
						...problems.slice(0, maxProblemsShown),
						`... and ${problems.length - maxProblemsShown} more problems`,
					]
				: problems;
		super(shown.join('\n'));
		this.name = 'InputError';
		this.subject = subject;
		this.problems = shown;
	}
}
