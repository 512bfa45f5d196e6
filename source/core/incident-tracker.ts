// Turns a per-reading condition into incidents: consecutive readings where it holds form
// one incident that fires (after `for` has elapsed, as Prometheus's `for:`), worsens
// (higher severity; the peak is kept) and resolves at the first reading where it no longer holds.
import type {
	Incident,
	IncidentEventKind,
	IncidentType,
	Severity,
} from './incident.js';

/** What a rule sees in one reading while its condition holds. */
export type Observation = {
	severity: Severity;
	threshold: number | undefined;
	value: number | string;
	/** Bigger is worse: decides the peak. */
	magnitude: number;
};

export type IncidentTracker = {
	/** The incident that has fired and not resolved, if any. */
	readonly open: Incident | undefined;
	/** One reading's observation (undefined: the condition does not hold). */
	step(
		time: number,
		line: number,
		observation: Observation | undefined,
	): TrackerEvent | undefined;
};

export type TrackerEvent = {kind: IncidentEventKind; incident: Incident};

const severityRank: Record<Severity, number> = {WARNING: 1, CRITICAL: 2};

export function createIncidentTracker(
	type: IncidentType,
	forMs: number,
	describe: Incident['describe'],
	onFire: (incident: Incident) => void,
): IncidentTracker {
	// A draft collects evidence while `for` has not yet elapsed; it becomes the open incident.
	let draft: (Incident & {peakMagnitude: number}) | undefined;
	let fired = false;

	return {
		get open() {
			return fired ? draft : undefined;
		},
		step(time, line, observation) {
			if (!observation) {
				if (draft && fired) {
					const incident = draft;
					incident.end = time;
					draft = undefined;
					fired = false;
					return {kind: 'resolved', incident};
				}

				draft = undefined;
				return undefined;
			}

			draft ??= {
				type,
				severity: observation.severity,
				start: time,
				end: undefined,
				value: observation.value,
				peak: observation.value,
				peakMagnitude: observation.magnitude,
				threshold: observation.threshold,
				readings: 0,
				firstLine: line,
				lastLine: line,
				describe,
			};

			draft.readings++;
			draft.lastLine = line;
			let worsened = false;
			if (severityRank[observation.severity] > severityRank[draft.severity]) {
				draft.severity = observation.severity;
				draft.threshold = observation.threshold ?? draft.threshold;
				worsened = true;
			}

			// A new peak is kept but not announced: a slow climb would otherwise be an event per
			// reading (the report and the next event carry the peak).
			if (observation.magnitude > draft.peakMagnitude) {
				draft.peak = observation.value;
				draft.peakMagnitude = observation.magnitude;
			}

			if (fired) {
				return worsened ? {kind: 'worsened', incident: draft} : undefined;
			}

			if (time - draft.start >= forMs) {
				fired = true;
				onFire(draft);
				return {kind: 'fired', incident: draft};
			}

			return undefined;
		},
	};
}
