// Which sent lines reached raw.log. raw.log must be the sent lines in order with some left
// out (an in-order subsequence): matched greedily, each raw.log line against the next sent
// line with the same bytes. A raw.log line with no match near by is a fragment (a line cut
// by a dying port). A missing line is explained when it was produced during an outage
// window (from shortly before the kill to shortly after the monitor reopened the port).
import type {SentLine} from './line-writer.js';

export type Outage = {killedAt: number; reopenedAt: number};

export type Accounting = {
	matched: number;
	/** raw.log lines that are no sent line: fragments of a line cut by the kill. */
	unmatchedRaw: string[];
	/** Written, lost in an outage window (in flight at the kill, or flushed by the reopen). */
	lostInOutage: number;
	/** Never written: produced while the link was down. */
	notWritten: number;
	/** Lost outside every outage window: must be none. */
	unexplained: SentLine[];
};

const lookahead = 50_000;
const marginMs = 1000;

export function accountLines(
	sent: readonly SentLine[],
	rawLines: readonly string[],
	outages: readonly Outage[],
): Accounting {
	const received = new Uint8Array(sent.length);
	const unmatchedRaw: string[] = [];
	let next = 0;
	for (const raw of rawLines) {
		const end = Math.min(sent.length, next + lookahead);
		let found = -1;
		for (let index = next; index < end; index++) {
			if (sent[index]!.text === raw) {
				found = index;
				break;
			}
		}

		if (found === -1) {
			unmatchedRaw.push(raw);
		} else {
			received[found] = 1;
			next = found + 1;
		}
	}

	const inOutage = (at: number) =>
		outages.some(
			({killedAt, reopenedAt}) =>
				at >= killedAt - marginMs && at <= reopenedAt + marginMs,
		);
	let matched = 0;
	let lostInOutage = 0;
	let notWritten = 0;
	const unexplained: SentLine[] = [];
	for (const [index, line] of sent.entries()) {
		if (received[index]) {
			matched++;
		} else if (!line.written) {
			notWritten++;
		} else if (inOutage(line.at)) {
			lostInOutage++;
		} else {
			unexplained.push(line);
		}
	}

	return {matched, unmatchedRaw, lostInOutage, notWritten, unexplained};
}
