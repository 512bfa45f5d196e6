// What every rule of the detector is: its own state, judgement, wording (its incidents'
// basis) and checkpoint, behind hooks the detector calls in report order. A rule has only
// the hooks it needs; the detector calls each hook on the rules that have it.
import type {Reading} from '../device-profile.js';
import type {Incident, IncidentEventKind, IncidentType} from '../incident.js';
import type {TrackerState} from '../incident-tracker.js';
import type {Prediction} from '../prediction.js';

/**
 * The detector's clock as the rules read it, and where they report. The detector alone
 * writes it; a rule reads it when a hook runs.
 */
export type Timeline = {
	/** The latest time on the rules' time line (minus infinity before any). */
	readonly latest: number;
	/** The latest retune's time: time-driven transitions it made true are stamped no earlier. */
	readonly retunedAt: number;
	/** The time and raw.log line number of the latest line of any kind. */
	readonly lastLineAt: number | undefined;
	readonly lastLine: number | undefined;
	/**
	 * heartbeat_timeout_s in milliseconds: the longest silence within one stretch of data
	 * (the heartbeat fires past it; readings further apart are not compared for a change).
	 */
	readonly gapMs: number;
	/** An incident fired, worsened or resolved, seen at `now`. */
	emit(kind: IncidentEventKind, incident: Incident, now: number): void;
};

/** A rule's state for a checkpoint: plain JSON-safe data, only the keys its kind uses. */
export type RuleState = {
	tracker?: TrackerState;
	/**
	 * A change rule's last reading of its field (a predict rule's: only its time), undefined
	 * once forgotten at a reconnect.
	 */
	previous?: {time: number; value: number};
	reconnectedAt?: number;
	/** The heartbeat's and the parse-error rate's open incident. */
	open?: Incident;
	/** The parse-error rate's window: receive times of the malformed lines in it. */
	errorTimes?: number[];
	/** A predict rule's readings in its window, the ETA it last announced and its prediction. */
	window?: {times: number[]; values: number[]};
	announced?: number;
	prediction?: Prediction;
	/** A predict rule saw its level crossed and has not re-armed since. */
	crossedLately?: boolean;
};

export type Rule = {
	readonly type: IncidentType;
	/** The incident that has fired and not resolved, if any. */
	readonly open: Incident | undefined;
	/** Time moved on (to timeline.latest): a rule whose incidents end with time ends them. */
	tick?(): void;
	/** Any line came (before it is read as a reading or an error). */
	line?(time: number, line: number): void;
	/** A valid reading. */
	reading?(time: number, line: number, reading: Reading): void;
	/** A malformed line. */
	error?(time: number, line: number): void;
	/** The source reconnected at `time`: readings before it are not compared with later ones. */
	reconnected?(time: number): void;
	/** The rule is gone from the settings: its open incident, if any, resolves at `time`. */
	close(time: number): void;
	save(): RuleState;
	load(state: RuleState): void;
};
