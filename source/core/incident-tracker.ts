// Turns a per-reading condition into incidents: consecutive readings where it holds form
// one incident that fires (after `for` has elapsed, as Prometheus's `for:`), worsens
// (higher severity; the peak is kept) and resolves at the first reading where it no longer holds,
// or when its rule ends it without one (the readings it compares have stopped).
import type {
	Incident,
	IncidentBasis,
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
	/**
	 * New settings for the readings that follow. An incident already fired stays open (the
	 * next reading decides whether it holds) and keeps the description it fired with; a
	 * draft not yet fired is dropped, as its evidence was judged by the old settings, so a
	 * breach that goes on starts its `for` again at the next reading.
	 */
	retune(forMs: number, basis: IncidentBasis): void;
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
	basis: IncidentBasis;
};

export type TrackerEvent = {kind: IncidentEventKind; incident: Incident};

const severityRank: Record<Severity, number> = {WARNING: 1, CRITICAL: 2};

export function createIncidentTracker(
	type: IncidentType,
	forMs: number,
	basis: IncidentBasis,
): IncidentTracker {
	return new Tracker(type, forMs, basis);
}

// A class, not a closure with a getter: an object literal's getter is its own, so each
// tracker had a map of its own and a rule asking several whether they are open (a status
// mismatch, every reading) went through the generic property lookup. Every instance of a
// class shares one map and one `open`, which the compiler inlines.
class Tracker implements IncidentTracker {
	// A draft collects evidence while `for` has not yet elapsed; it becomes the open incident.
	private draft: TrackerState['draft'] = undefined;
	private fired = false;
	private readonly type: IncidentType;
	private forMs: number;
	private basis: IncidentBasis;

	constructor(type: IncidentType, forMs: number, basis: IncidentBasis) {
		this.type = type;
		this.forMs = forMs;
		this.basis = basis;
	}

	get open(): Incident | undefined {
		return this.fired ? this.draft : undefined;
	}

	retune(nextForMs: number, nextBasis: IncidentBasis): void {
		this.forMs = nextForMs;
		this.basis = nextBasis;
		if (!this.fired) {
			this.draft = undefined;
		}
	}

	end(time: number): TrackerEvent | undefined {
		const incident = this.fired ? this.draft : undefined;
		this.draft = undefined;
		this.fired = false;
		if (!incident) {
			return undefined;
		}

		incident.end = time;
		return {kind: 'resolved', incident};
	}

	save(): TrackerState {
		return {
			draft: this.draft,
			fired: this.fired,
			forMs: this.forMs,
			basis: this.basis,
		};
	}

	load(state: TrackerState): void {
		this.draft = state.draft;
		this.fired = state.fired;
		this.forMs = state.forMs;
		this.basis = state.basis;
	}

	step(
		time: number,
		line: number,
		observation: Observation | undefined,
	): TrackerEvent | undefined {
		if (!observation) {
			// Nothing to end (most readings): no call.
			return this.draft === undefined && !this.fired
				? undefined
				: this.end(time);
		}

		this.draft ??= {
			type: this.type,
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
			basis: this.basis,
		};
		const {draft} = this;
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

		if (this.fired) {
			return worsened ? {kind: 'worsened', incident: draft} : undefined;
		}

		if (time - draft.start >= this.forMs) {
			this.fired = true;
			// The settings it fired under describe it from now on, whatever is retuned later.
			draft.basis = this.basis;
			return {kind: 'fired', incident: draft};
		}

		return undefined;
	}
}
