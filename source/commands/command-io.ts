// What a command gets from the CLI: its output streams, the signal that stops it
// (SIGINT/SIGTERM) and the requests for a report (SIGUSR1). Tests pass their own.
import type {LineQueue} from '../adapters/line-queue.js';
import type {ReportRequests} from '../adapters/report-requests.js';

export type CommandIo = {
	signal: AbortSignal;
	/**
	 * stdout as a stream of events for a reader that may stop reading (the headless
	 * monitor's JSON lines): bounded, the oldest dropped when full; a stop never waits
	 * long for it.
	 */
	events: LineQueue;
	reportRequests: ReportRequests;
	stdout(text: string): void;
	stderr(text: string): void;
};

/** Where a command sends what is legal but likely not meant in its config. */
export function warnAbout(io: CommandIo): (warning: string) => void {
	return (warning) => {
		io.stderr(`serialwatch: warning: ${warning}\n`);
	};
}
