// The streaming anomaly detector: a pure state machine fed lines with their receive
// times and clock ticks. Live monitoring ticks it from a timer; replay and detect tick it
// with each line's own time. Time-driven transitions (heartbeat loss, the parse-error
// rate falling back) are stamped with the exact instant they became true, not the tick's,
// so both paths give the same report byte for byte.
//
// It owns only the time line (the clock and its steps, the latest retune, the latest line)
// and the events; each rule, in core/rules/, owns its state, judgement and wording, and
// core/rules/composition.ts which rules a set of settings has.
import {
	createClosedIncidentsInMemory,
	mergeInReportOrder,
	type ClosedIncidents,
} from './closed-incidents.js';
import type {Reading} from './device-profile.js';
import type {
	Incident,
	IncidentEvent,
	IncidentEventKind,
	ReportEntry,
} from './incident.js';
import type {Prediction} from './prediction.js';
import {toReportEntry} from './report-entry.js';
import type {DetectorSettings} from './rule-spec.js';
import {
	changedFields,
	composeRules,
	type Composition,
} from './rules/composition.js';
import {createHeartbeatRule} from './rules/heartbeat.js';
import {createParseErrorRule} from './rules/parse-errors.js';
import type {RuleState, Timeline} from './rules/rule.js';

export type {Thresholds} from './incident.js';
export type {DetectorSettings} from './rule-spec.js';
export {fieldOfType, incidentTypesOf, ruleType} from './rules/rule-types.js';

/** One received line: a valid reading or a parse error, with its raw.log line number. */
export type DetectorInput =
	| {time: number; line: number; reading: Reading}
	| {time: number; line: number; error: string};

export type Detector = {
	/** How many incidents report() would list. */
	readonly incidentCount: number;
	/** Feed one line (ticks to its time first). Returns the incident events it caused. */
	observe(input: DetectorInput): readonly IncidentEvent[];
	/** As observe() of a reading, without an input object: a replay calls it for nearly every line. */
	observeReading(
		time: number,
		line: number,
		reading: Reading,
	): readonly IncidentEvent[];
	/** A line that is neither a reading nor malformed (a header the device prints): it only ends a silence. */
	observeIgnored(time: number, line: number): readonly IncidentEvent[];
	/** As observe() of a parse error. */
	observeError(
		time: number,
		line: number,
		error: string,
	): readonly IncidentEvent[];
	/**
	 * Advance the clock: fires heartbeat loss, ages out parse errors, ends a rapid change
	 * whose readings stopped. The heartbeat starts with the first line: before it nothing
	 * was lost, the device is still awaited.
	 */
	tick(now: number): readonly IncidentEvent[];
	/**
	 * The source reconnected (the port reopened) at `now`: the next reading starts afresh,
	 * and is not compared with the last one before the loss for a rapid change, so an open
	 * rapid change ends at the reconnect (or earlier, where the silence before it already
	 * ended it; the next tick or line reports it). Only a live run knows this; raw.log does
	 * not record it, so a replay sees only the silence, if any.
	 */
	reconnected(now: number): void;
	/** Incidents that have fired and not resolved. */
	active(now: number): ReportEntry[];
	/**
	 * The time-to-threshold predictions of predict rules that hold now (their incident is
	 * open), their crossing times on the wall clock's time line, as `now` is: after a clock
	 * step back the rules' time runs ahead of the wall clock, and the time left is the same
	 * on both.
	 */
	predictions(now: number): readonly Prediction[];
	/** Every incident so far, sorted by start time. */
	report(now: number): ReportEntry[];
	/** As report(), one entry at a time, so that a long report can be built between other work. */
	reportEntries(now: number): Generator<ReportEntry>;
	/**
	 * New settings for the lines and ticks that follow; all state is kept (open incidents,
	 * the previous values, the silence so far, the parse-error window). An open incident is
	 * judged by the new rules at the next line (a breach that no longer breaches resolves
	 * there) and keeps describing the rule it fired under. A new heartbeat timeout applies to
	 * the silence under way (and to the gap that decides whether the next reading is
	 * compared for a change); a new parse-error limit applies from the next malformed line
	 * (which may fire) and the next tick (which may resolve). Nothing is stamped before the
	 * retune (the old settings held until then): a silence already longer than a shortened
	 * timeout fires at the next tick, starting at the retune.
	 *
	 * Rules are matched by type. When any rule on a field changed (or the field's own
	 * declaration did), every rule on that field is retuned: a draft not yet fired is dropped
	 * and starts its for_s again at the next reading (the built-in temperature section, which
	 * holds both a band and a change rule, has always retuned both). Rules on other fields
	 * go on undisturbed. A rule that is new starts afresh; a rule no longer in the settings
	 * is dropped, and its open incident resolves at the retune: those events are returned.
	 */
	retune(settings: DetectorSettings): readonly IncidentEvent[];
	/**
	 * Everything it knows as plain JSON-safe data (the settings in effect, the time line,
	 * and per rule, keyed by its incident type, its open incident, draft, previous value and
	 * timers, the parse-error window), for a checkpoint; createDetector takes it back.
	 * Closed incidents are not in it: they are in the ClosedIncidents it was given.
	 */
	save(): DetectorState;
};

export type DetectorState = {
	/** The settings in effect: they replace the ones createDetector is given. */
	settings: DetectorSettings;
	/** Null for minus infinity (JSON has no infinities): never retuned, no time yet. */
	retunedAt: number | null;
	latest: number | null;
	stepOffset: number;
	lastLineAt: number | undefined;
	lastLine: number | undefined;
	/** Each rule's own state, by its incident type (HEARTBEAT_LOSS and PARSE_ERROR_RATE too). */
	rules: Record<string, RuleState>;
};

export type DetectorOptions = {
	/** Where resolved incidents go (default: memory, in these settings' report order). */
	closed?: ClosedIncidents;
	/** A saved state to go on from; its settings are the ones in effect. */
	state?: DetectorState;
};

const noPredictions: readonly Prediction[] = Object.freeze([]);

// Shared by every line and tick that caused nothing; frozen, so no caller can fill it.
const noEvents: readonly IncidentEvent[] = Object.freeze([]);

export function createDetector(
	initial: DetectorSettings,
	options: DetectorOptions = {},
): Detector {
	// A copy: a caller that edits its object afterwards does not retune behind our back.
	let settings = structuredClone(options.state?.settings ?? initial);
	let composition: Composition;
	const closed =
		options.closed ?? createClosedIncidentsInMemory(() => composition.order);
	// Time as the rules see it: the wall clock's, except that a step back (NTP, a clock set
	// by hand) becomes an offset, so time goes on from where it was at the wall clock's pace.
	// Holding at the latest time instead would stall every timer for the length of the step:
	// a device falling silent after the clock went back an hour would go unnoticed for an hour.
	let stepOffset = 0;
	// The events of the line or tick under way. Most lines cause none: they then share one
	// empty list, since a new array per line was a fair share of a replay's garbage.
	const events: IncidentEvent[] = [];
	const timeline = {
		latest: Number.NEGATIVE_INFINITY,
		// The last tick before the latest retune: time-driven transitions that the new
		// settings make true are stamped no earlier, since the old ones held until then.
		retunedAt: Number.NEGATIVE_INFINITY,
		// Undefined until the first line: no heartbeat runs before it.
		lastLineAt: undefined as number | undefined,
		lastLine: undefined as number | undefined,
		gapMs: settings.heartbeat_timeout_s * 1000,
		// A resolved incident's entry is final: it goes to the closed incidents from here.
		emit(kind: IncidentEventKind, incident: Incident, now: number) {
			const entry = toReportEntry(incident, now);
			if (kind === 'resolved') {
				closed.add(entry);
			}

			events.push({
				event: kind,
				at: new Date(now).toISOString(),
				incident: entry,
			});
		},
	} satisfies Timeline;

	const heartbeat = createHeartbeatRule(settings.heartbeat_timeout_s, timeline);
	const parseErrors = createParseErrorRule(
		settings.parse_errors.max_per_min,
		timeline,
	);

	const deviceRules = {heartbeat, parseErrors, timeline};
	composition = composeRules(settings, undefined, new Set(), deviceRules);

	const advanceTo = (wall: number) => {
		const time = wall + stepOffset;
		if (time < timeline.latest) {
			stepOffset += timeline.latest - time;
		}

		timeline.latest = Math.max(timeline.latest, time);
	};

	/** A time to report at, on the rules' time line, moving nothing. */
	const timeAt = (wall: number) => Math.max(timeline.latest, wall + stepOffset);

	/** Incidents fired and not resolved, in report order. */
	const openIncidents = () =>
		composition.all
			.map((rule) => rule.open)
			.filter((incident) => incident !== undefined)
			.toSorted(composition.order.compareIncidents);

	const takeEvents = (): readonly IncidentEvent[] =>
		events.length === 0 ? noEvents : events.splice(0);

	const advance = (wall: number): void => {
		advanceTo(wall);
		composition.tick();
	};

	// Every line: the clock moves to its time, and a silence it ends resolves.
	const startLine = (wall: number, line: number): number => {
		advance(wall);
		const time = timeline.latest;
		heartbeat.line(time, line);
		timeline.lastLineAt = time;
		timeline.lastLine = line;
		return time;
	};

	const observeValues = (time: number, line: number, reading: Reading) => {
		composition.reading(time, line, reading);
	};

	function* reportEntriesAt(now: number): Generator<ReportEntry> {
		// Open incidents come after every closed one of their own rule: one merge orders all.
		const open = openIncidents().map((incident) =>
			toReportEntry(incident, now),
		);
		yield* mergeInReportOrder(
			[closed.entries(composition.order.compareEntries), open],
			composition.order.compareEntries,
		);
	}

	if (options.state) {
		const {state} = options;
		timeline.retunedAt = state.retunedAt ?? Number.NEGATIVE_INFINITY;
		timeline.latest = state.latest ?? Number.NEGATIVE_INFINITY;
		stepOffset = state.stepOffset;
		timeline.lastLineAt = state.lastLineAt;
		timeline.lastLine = state.lastLine;
		for (const [type, {rule}] of composition.byType) {
			const saved = state.rules[type];
			if (saved) {
				rule.load(structuredClone(saved));
			}
		}
	}

	return {
		observe(input) {
			const time = startLine(input.time, input.line);
			if ('error' in input) {
				parseErrors.error(time, input.line);
			} else {
				observeValues(time, input.line, input.reading);
			}

			return takeEvents();
		},
		observeReading(wall, line, reading) {
			observeValues(startLine(wall, line), line, reading);
			return takeEvents();
		},
		observeError(wall, line) {
			parseErrors.error(startLine(wall, line), line);
			return takeEvents();
		},
		observeIgnored(wall, line) {
			startLine(wall, line);
			return takeEvents();
		},
		tick(now) {
			advance(now);
			return takeEvents();
		},
		reconnected(now) {
			const time = timeAt(now);
			composition.reconnected(time);
		},
		active(now) {
			return openIncidents().map((incident) =>
				toReportEntry(incident, timeAt(now)),
			);
		},
		predictions(now) {
			const {predicting} = composition;
			if (predicting.length === 0) {
				return noPredictions;
			}

			const ahead = timeAt(now) - now;
			return predicting.flatMap(({prediction}) =>
				prediction
					? [
							ahead === 0
								? prediction
								: {...prediction, crossingAt: prediction.crossingAt - ahead},
						]
					: [],
			);
		},
		report(now) {
			return [...reportEntriesAt(timeAt(now))];
		},
		reportEntries(now) {
			return reportEntriesAt(timeAt(now));
		},
		get incidentCount() {
			return closed.count + openIncidents().length;
		},
		save() {
			const finite = (time: number) => (Number.isFinite(time) ? time : null);
			const rules: Record<string, RuleState> = {};
			for (const [type, {rule}] of composition.byType) {
				rules[type] = rule.save();
			}

			return structuredClone({
				settings,
				retunedAt: finite(timeline.retunedAt),
				latest: finite(timeline.latest),
				stepOffset,
				lastLineAt: timeline.lastLineAt,
				lastLine: timeline.lastLine,
				rules,
			});
		},
		retune(nextSettings) {
			const previous = settings;
			const next = structuredClone(nextSettings);
			settings = next;
			timeline.retunedAt = timeline.latest;
			timeline.gapMs = next.heartbeat_timeout_s * 1000;
			heartbeat.retune(next.heartbeat_timeout_s);
			parseErrors.retune(next.parse_errors.max_per_min);
			const retuned = changedFields(previous, next);
			const before = composition;
			composition = composeRules(next, before, retuned, deviceRules);
			for (const [type, {rule}] of before.byType) {
				if (composition.byType.get(type)?.rule !== rule) {
					rule.close(timeline.latest);
				}
			}

			return takeEvents();
		},
	};
}
