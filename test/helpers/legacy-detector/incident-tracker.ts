// Turns a per-reading condition into incidents: consecutive readings where it holds form
// one incident that fires (after `for` has elapsed, as Prometheus's `for:`), worsens
// (higher severity; the peak is kept) and resolves at the first reading where it no longer holds,
// or when its rule ends it without one (the readings it compares have stopped).
import type {
	Incident,
	IncidentEventKind,
	IncidentType,
	Severity,
	Thresholds,
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
	/**
	 * New settings for the readings that follow. An incident already fired stays open (the
	 * next reading decides whether it holds) and keeps the description it fired with; a
	 * draft not yet fired is dropped, as its evidence was judged by the old settings, so a
	 * breach that goes on starts its `for` again at the next reading.
	 */
	retune(forMs: number, basis: Thresholds): void;
	/**
	 * No reading can continue the condition: the open incident resolves at `time` and a
	 * draft is dropped, so the next observation starts afresh.
	 */
	end(time: number): TrackerEvent | undefined;
	/** Its whole state as plain data, for a checkpoint; load() takes it back. */
	save(): TrackerState;
	load(state: TrackerState): void;
	/** One reading's observation (undefined: the condition does not hold). */
	step(
		time: number,
		line: number,
		observation: Observation | undefined,
	): TrackerEvent | undefined;
};

export type TrackerState = {
	draft: (Incident & {peakMagnitude: number}) | undefined;
	fired: boolean;
	forMs: number;
	basis: Thresholds;
};

export type TrackerEvent = {kind: IncidentEventKind; incident: Incident};

const severityRank: Record<Severity, number> = {WARNING: 1, CRITICAL: 2};

export function createIncidentTracker(
	type: IncidentType,
	forMs: number,
	basis: Thresholds,
): IncidentTracker {
	// A draft collects evidence while `for` has not yet elapsed; it becomes the open incident.
	let draft: TrackerState['draft'];
	let fired = false;
	let settings = {forMs, basis};

	const end = (time: number): TrackerEvent | undefined => {
		const incident = fired ? draft : undefined;
		draft = undefined;
		fired = false;
		if (!incident) {
			return undefined;
		}

		incident.end = time;
		return {kind: 'resolved', incident};
	};

	return {
		get open() {
			return fired ? draft : undefined;
		},
		retune(nextForMs, nextBasis) {
			settings = {forMs: nextForMs, basis: nextBasis};
			if (!fired) {
				draft = undefined;
			}
		},
		end,
		save() {
			return {draft, fired, ...settings};
		},
		load(state) {
			draft = state.draft;
			fired = state.fired;
			settings = {forMs: state.forMs, basis: state.basis};
		},
		step(time, line, observation) {
			if (!observation) {
				return end(time);
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
				basis: settings.basis,
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

			if (time - draft.start >= settings.forMs) {
				fired = true;
				// The settings it fired under describe it from now on, whatever is retuned later.
				draft.basis = settings.basis;
				return {kind: 'fired', incident: draft};
			}

			return undefined;
		},
	};
}
