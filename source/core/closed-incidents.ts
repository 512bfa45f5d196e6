// Where a detector puts the incidents that have resolved: their entries are final, so they
// need not stay in the detector. Kept per rule, where they come in start order (a rule has
// one incident open at a time), so that the report, ordered by start and then by rule, is
// a merge of sorted streams and never a sort of everything: a journal on disk can serve it
// a record at a time, whatever the number of incidents.
import {
	builtinReportOrder,
	type IncidentType,
	type ReportEntry,
	type ReportOrder,
} from './incident.js';

export type ClosedIncidents = {
	readonly count: number;
	/** A resolved incident's final entry; those of one rule come in start order. */
	add(entry: ReportEntry): void;
	/**
	 * Every entry so far in report order (by start, then by rule), by `compare` when given:
	 * the order of the rules in effect, which a retune to other rules changes.
	 */
	entries(compare?: ReportOrder['compareEntries']): Iterable<ReportEntry>;
};

/**
 * Closed incidents kept in memory: for tests, and runs whose incidents are few. `order`
 * is read at each entries(), so a detector that retunes to new rules can pass its own.
 */
export function createClosedIncidentsInMemory(
	order: () => ReportOrder = () => builtinReportOrder,
): ClosedIncidents {
	const byRule = new Map<IncidentType, ReportEntry[]>();
	let count = 0;
	return {
		add(entry) {
			const entries = byRule.get(entry.type);
			if (entries) {
				entries.push(entry);
			} else {
				byRule.set(entry.type, [entry]);
			}

			count++;
		},
		get count() {
			return count;
		},
		entries(compare = order().compareEntries) {
			return mergeInReportOrder([...byRule.values()], compare);
		},
	};
}

/**
 * Streams each in report order, merged into one in report order. Stable: of equal
 * entries, those of an earlier stream come first, and a stream keeps its own order.
 */
export function* mergeInReportOrder(
	streams: ReadonlyArray<Iterable<ReportEntry>>,
	compare: (
		a: ReportEntry,
		b: ReportEntry,
	) => number = builtinReportOrder.compareEntries,
): Generator<ReportEntry> {
	const heads: Array<{entry: ReportEntry; rest: Iterator<ReportEntry>}> = [];
	for (const stream of streams) {
		const rest = stream[Symbol.iterator]();
		const first = rest.next();
		if (!first.done) {
			heads.push({entry: first.value, rest});
		}
	}

	// A handful of streams (one per rule): a scan of the heads beats a heap.
	while (heads.length > 0) {
		let least = 0;
		for (let index = 1; index < heads.length; index++) {
			if (compare(heads[index]!.entry, heads[least]!.entry) < 0) {
				least = index;
			}
		}

		const head = heads[least]!;
		yield head.entry;
		const next = head.rest.next();
		if (next.done) {
			heads.splice(least, 1);
		} else {
			head.entry = next.value;
		}
	}
}
