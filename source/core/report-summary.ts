// What a run's summary says of its report, counted while the report is written: the
// report itself may hold millions of entries and is never kept whole.
import type {IncidentType, ReportEntry} from './incident.js';

export type ReportSummary = {
	incidents: number;
	/** Entries with no end yet. */
	ongoing: number;
	/** Entries per rule, in the order each rule first appears in the report. */
	byType: Partial<Record<IncidentType, number>>;
};

export function emptyReportSummary(): ReportSummary {
	return {incidents: 0, ongoing: 0, byType: {}};
}

export function countEntry(summary: ReportSummary, entry: ReportEntry): void {
	summary.incidents++;
	if (entry.end === null) {
		summary.ongoing++;
	}

	summary.byType[entry.type] = (summary.byType[entry.type] ?? 0) + 1;
}
