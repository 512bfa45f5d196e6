// SIGUSR1 asks for the report. Without a listener for it, Node.js takes that signal to
// open its inspector on 127.0.0.1:9229, through which any local user can run code as this
// process's user: the CLI's entry installs this before it loads anything else, and keeps
// it for the life of the process. A request that comes before the run can answer it (the
// modules still loading, raw.log being taken up) is kept until then.

export type ReportRequests = {
	/**
	 * Calls `answer` for each request from now until the returned function is called; a
	 * request kept from before is answered at once. One answerer at a time.
	 */
	answer(answer: () => void): () => void;
};

export function holdReportRequests(process: {
	on(signal: 'SIGUSR1', listener: () => void): unknown;
}): ReportRequests {
	let kept = false;
	let current: (() => void) | undefined;
	process.on('SIGUSR1', () => {
		if (current) {
			current();
		} else {
			kept = true;
		}
	});
	return {
		answer(answer) {
			current = answer;
			if (kept) {
				kept = false;
				answer();
			}

			return () => {
				if (current === answer) {
					current = undefined;
				}
			};
		},
	};
}
