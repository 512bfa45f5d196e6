// The streaming anomaly detector: a pure state machine fed lines with their receive
// times and clock ticks. Live monitoring ticks it from a timer; replay and detect tick it
// with each line's own time. Time-driven transitions (heartbeat loss, the parse-error
// rate falling back) are stamped with the exact instant they became true, not the tick's,
// so both paths give the same report byte for byte.
import {
	createClosedIncidentsInMemory,
	mergeInReportOrder,
	type ClosedIncidents,
} from './closed-incidents.js';
import {
	compareIncidents,
	type Incident,
	type IncidentEvent,
	type IncidentEventKind,
	type ReportEntry,
	type Thresholds,
} from './incident.js';
import {
	createIncidentTracker,
	type Observation,
	type TrackerEvent,
	type TrackerState,
} from './incident-tracker.js';
import type {Reading} from './protocol.js';
import {silenceSeconds, toReportEntry} from './report-entry.js';
import {
	lowestTemperatureAlarm,
	temperatureThresholdPast,
	voltageLimitPast,
} from './thresholds.js';

export type {Thresholds} from './incident.js';

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
	/** A line that is neither a reading nor malformed (a header): it only ends a silence. */
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
	/** Every incident so far, sorted by start time. */
	report(now: number): ReportEntry[];
	/** As report(), one entry at a time, so that a long report can be built between other work. */
	reportEntries(now: number): Generator<ReportEntry>;
	/**
	 * New thresholds for the lines and ticks that follow; all state is kept (open incidents,
	 * the previous temperature, the silence so far, the parse-error window). An open
	 * incident is judged by the new thresholds at the next line (a breach that no longer
	 * breaches resolves there) and keeps describing the threshold it fired against. A new
	 * heartbeat timeout applies to the silence under way (and to the gap that decides
	 * whether the next reading is compared for a rapid change); a new parse-error limit applies
	 * from the next malformed line (which may fire) and the next tick (which may resolve).
	 * Nothing is stamped before the retune (the old thresholds held until then): a silence
	 * already longer than a shortened timeout fires at the next tick, starting at the retune.
	 */
	retune(thresholds: Thresholds): void;
	/**
	 * Everything it knows as plain JSON-safe data (its open incidents, drafts, timers, the
	 * parse-error window), for a checkpoint; createDetector takes it back. Closed incidents
	 * are not in it: they are in the ClosedIncidents it was given.
	 */
	save(): DetectorState;
};

export type DetectorState = {
	thresholds: Thresholds;
	/** Null for minus infinity (JSON has no infinities): never retuned, no time yet. */
	retunedAt: number | null;
	latest: number | null;
	stepOffset: number;
	lastLineAt: number | undefined;
	lastLine: number | undefined;
	previousReading: {time: number; temperature: number} | undefined;
	reconnectedAt: number | undefined;
	heartbeat: Incident | undefined;
	errorRate: Incident | undefined;
	/** Receive times of the malformed lines still in the window. */
	errorTimes: number[];
	rules: Record<TrackedRule, TrackerState>;
};

const trackedRules = [
	'temperature',
	'voltage',
	'rapidChange',
	'deviceStatus',
	'mismatch',
] as const;
type TrackedRule = (typeof trackedRules)[number];

export type DetectorOptions = {
	/** Where resolved incidents go (default: memory). */
	closed?: ClosedIncidents;
	/** A saved state to go on from; its thresholds are the ones in effect. */
	state?: DetectorState;
};

const minuteMs = 60_000;
// Shared by every line and tick that caused nothing; frozen, so no caller can fill it.
const noEvents: readonly IncidentEvent[] = Object.freeze([]);
// Bounds memory under a flood of garbage; the rate only needs max_per_min + 1 of them.
const maxErrorTimes = 100_000;

export function createDetector(
	thresholds: Thresholds,
	options: DetectorOptions = {},
): Detector {
	const closed = options.closed ?? createClosedIncidentsInMemory();
	// A copy: a caller that edits its object afterwards does not retune behind our back.
	let current = structuredClone(thresholds);
	// The last tick before the latest retune: time-driven transitions that the new
	// thresholds make true are stamped no earlier, since the old ones held until then.
	let retunedAt = Number.NEGATIVE_INFINITY;
	let latest = Number.NEGATIVE_INFINITY;
	// Time as the rules see it: the wall clock's, except that a step back (NTP, a clock set
	// by hand) becomes an offset, so time goes on from where it was at the wall clock's pace.
	// Holding at the latest time instead would stall every timer for the length of the step:
	// a device falling silent after the clock went back an hour would go unnoticed for an hour.
	let stepOffset = 0;
	const advanceTo = (wall: number) => {
		const time = wall + stepOffset;
		if (time < latest) {
			stepOffset += latest - time;
		}

		latest = Math.max(latest, time);
	};

	/** A time to report at, on the rules' time line, moving nothing. */
	const timeAt = (wall: number) => Math.max(latest, wall + stepOffset);
	// Undefined until the first line: no heartbeat runs before it.
	let lastLineAt: number | undefined;
	let lastLine: number | undefined;
	// The reading a rapid change is measured from (undefined time: none, forgotten at a
	// reconnect). Two numbers, not an object: a new one per reading was garbage per line.
	let previousTime: number | undefined;
	let previousTemperature = 0;
	// When the latest reconnect cut the readings short, for the next tick to end an open
	// rapid change there; cleared by the next reading.
	let reconnectedAt: number | undefined;
	let heartbeat: Incident | undefined;
	let errorRate: Incident | undefined;
	// Receive times of the malformed lines in the last minute: errorTimes[errorsFrom..].
	// Expired ones are skipped by moving errorsFrom, not by shift(), which copies the array
	// and made every line of a garbage flood cost O(window).
	const errorTimes: number[] = [];
	let errorsFrom = 0;

	const temperatureRule = createIncidentTracker(
		'THRESHOLD_BREACH_TEMP',
		current.temperature.for_s * 1000,
		current,
	);
	const voltageRule = createIncidentTracker(
		'THRESHOLD_BREACH_VOLTAGE',
		current.voltage.for_s * 1000,
		current,
	);
	const rapidChangeRule = createIncidentTracker(
		'RAPID_CHANGE_TEMP',
		0,
		current,
	);
	const deviceStatusRule = createIncidentTracker('DEVICE_STATUS', 0, current);
	const mismatchRule = createIncidentTracker('STATUS_MISMATCH', 0, current);
	const rules: Record<TrackedRule, typeof temperatureRule> = {
		temperature: temperatureRule,
		voltage: voltageRule,
		rapidChange: rapidChangeRule,
		deviceStatus: deviceStatusRule,
		mismatch: mismatchRule,
	};
	/** Incidents fired and not resolved, in report order. */
	const openIncidents = () =>
		[
			temperatureRule.open,
			voltageRule.open,
			rapidChangeRule.open,
			heartbeat,
			deviceStatusRule.open,
			mismatchRule.open,
			errorRate,
		]
			.filter((incident) => incident !== undefined)
			.toSorted(compareIncidents);

	// One observation object per rule, filled in place: a tracker copies what it keeps, and
	// an object per rule and reading was most of the detector's garbage.
	const seen = {
		temperature: emptyObservation(),
		voltage: emptyObservation(),
		rapidChange: emptyObservation(),
		deviceStatus: emptyObservation(),
		mismatch: emptyObservation(),
	};

	const observeTemperature = (value: number): Observation | undefined => {
		const {temperature} = current;
		const threshold = temperatureThresholdPast(value, temperature);
		// Hysteresis: an open incident holds until the value is clear_margin below its threshold.
		if (
			threshold === undefined &&
			!(
				temperatureRule.open &&
				value > lowestTemperatureAlarm(temperature) - temperature.clear_margin_c
			)
		) {
			return undefined;
		}

		return fill(
			seen.temperature,
			threshold === undefined || threshold !== temperature.max_c
				? 'WARNING'
				: 'CRITICAL',
			threshold,
			value,
			value,
		);
	};

	const observeVoltage = (value: number): Observation | undefined => {
		const {voltage} = current;
		const outside = Math.max(value - voltage.max_v, voltage.min_v - value);
		const threshold = voltageLimitPast(value, voltage);
		if (
			threshold === undefined &&
			!(voltageRule.open && outside > -voltage.clear_margin_v)
		) {
			return undefined;
		}

		return fill(seen.voltage, 'CRITICAL', threshold, value, outside);
	};

	// A change is rapid only between consecutive readings of one stretch of data: no
	// reconnect between them and no more than heartbeat_timeout_s apart (the same test as
	// the heartbeat's, so a silence that is a HEARTBEAT_LOSS, or one filled only with
	// malformed lines, breaks the comparison too).
	const observeRapidChange = (
		time: number,
		value: number,
	): Observation | undefined => {
		if (
			previousTime === undefined ||
			time - previousTime > current.heartbeat_timeout_s * 1000
		) {
			return undefined;
		}

		// Rounded to the hundredth the device can report, so float noise never decides.
		const change = Math.round((value - previousTemperature) * 100) / 100;
		const limit = current.temperature.max_change_c;
		return Math.abs(change) > limit
			? fill(seen.rapidChange, 'WARNING', limit, change, Math.abs(change))
			: undefined;
	};

	// When the silence since the previous reading grew too long for the next one to be
	// compared with it: the instant the heartbeat's own test (on any line) becomes true.
	const comparisonLapsesAt = (readingTime: number) =>
		Math.max(readingTime + current.heartbeat_timeout_s * 1000, retunedAt);

	// A rapid change ends when no next comparison can involve its reading: at the next
	// reading (which either continues it or resolves it), at a reconnect, or when the
	// silence after it passes heartbeat_timeout_s, whichever comes first. Stamped with the
	// instant, not the tick that noticed, as the heartbeat is.
	const rapidChangeEndsAt = (): number | undefined => {
		if (reconnectedAt !== undefined) {
			return reconnectedAt;
		}

		if (
			previousTime !== undefined &&
			latest > previousTime + current.heartbeat_timeout_s * 1000
		) {
			return comparisonLapsesAt(previousTime);
		}

		return undefined;
	};

	// A resolved incident's entry is final: it goes to the closed incidents from here.
	const snapshot = (
		kind: IncidentEventKind,
		incident: Incident,
		now: number,
	): IncidentEvent => {
		const entry = toReportEntry(incident, now);
		if (kind === 'resolved') {
			closed.add(entry);
		}

		return {event: kind, at: new Date(now).toISOString(), incident: entry};
	};

	// The events of the line or tick under way. Most lines cause none: they then share one
	// empty list, since a new array per line was a fair share of a replay's garbage.
	const events: IncidentEvent[] = [];
	const takeEvents = (): readonly IncidentEvent[] =>
		events.length === 0 ? noEvents : events.splice(0);
	const collect = (change: TrackerEvent | undefined, now: number) => {
		if (change) {
			events.push(snapshot(change.kind, change.incident, now));
		}
	};

	const advance = (now: number): void => {
		advanceTo(now);
		const rapidChangeEnd = rapidChangeRule.open
			? rapidChangeEndsAt()
			: undefined;
		if (rapidChangeEnd !== undefined) {
			collect(rapidChangeRule.end(rapidChangeEnd), latest);
		}

		const timeoutS = current.heartbeat_timeout_s;
		const heartbeatMs = timeoutS * 1000;
		if (
			!heartbeat &&
			lastLineAt !== undefined &&
			latest > lastLineAt + heartbeatMs
		) {
			heartbeat = {
				type: 'HEARTBEAT_LOSS',
				severity: 'CRITICAL',
				start: Math.max(lastLineAt + heartbeatMs, retunedAt),
				end: undefined,
				value: timeoutS,
				peak: undefined,
				threshold: timeoutS,
				readings: 0,
				firstLine: lastLine,
				lastLine: undefined,
				basis: current,
				silentSince: lastLineAt,
			};
			events.push(snapshot('fired', heartbeat, latest));
		}

		if (errorRate) {
			resolveErrorRate();
		}
	};

	// The rate falls back to the limit when the (limit+1)-th newest error leaves the window.
	const resolveErrorRate = () => {
		const limitIndex = errorTimes.length - 1 - current.parse_errors.max_per_min;
		const limitTime =
			limitIndex >= errorsFrom ? errorTimes[limitIndex] : undefined;
		// Without such an error the count is within the limit already, which an open incident
		// only meets after a retune raised the limit: it ends at the retune (never at -Infinity).
		const withinSince = Number.isFinite(retunedAt) ? retunedAt : latest;
		const fallsBackAt =
			limitTime === undefined
				? withinSince
				: Math.max(limitTime + minuteMs, retunedAt);
		if (errorRate && latest >= fallsBackAt) {
			errorRate.end = fallsBackAt;
			events.push(snapshot('resolved', errorRate, latest));
			errorRate = undefined;
		}
	};

	const observeError = (time: number, line: number) => {
		errorTimes.push(time);
		while (
			errorTimes.length - errorsFrom > maxErrorTimes ||
			errorTimes[errorsFrom]! <= time - minuteMs
		) {
			errorsFrom++;
		}

		if (errorsFrom > 4096 && errorsFrom * 2 > errorTimes.length) {
			errorTimes.splice(0, errorsFrom);
			errorsFrom = 0;
		}

		const count = errorTimes.length - errorsFrom;
		const limit = current.parse_errors.max_per_min;
		if (errorRate) {
			errorRate.readings++;
			errorRate.lastLine = line;
			// The peak is kept, not announced: its severity cannot rise (as for every rule).
			errorRate.peak = Math.max(count, Number(errorRate.peak));
		} else if (count > limit) {
			errorRate = {
				type: 'PARSE_ERROR_RATE',
				severity: 'WARNING',
				start: time,
				end: undefined,
				value: count,
				peak: count,
				threshold: limit,
				readings: 1,
				firstLine: line,
				lastLine: line,
				basis: current,
			};
			events.push(snapshot('fired', errorRate, time));
		}
	};

	const observeValues = (time: number, line: number, reading: Reading) => {
		collect(
			temperatureRule.step(time, line, observeTemperature(reading.temperature)),
			time,
		);
		collect(
			voltageRule.step(time, line, observeVoltage(reading.voltage)),
			time,
		);
		collect(
			rapidChangeRule.step(
				time,
				line,
				observeRapidChange(time, reading.temperature),
			),
			time,
		);
		previousTime = time;
		previousTemperature = reading.temperature;
		reconnectedAt = undefined;

		const {level} = reading;
		collect(
			deviceStatusRule.step(
				time,
				line,
				level === 'NORMAL'
					? undefined
					: fill(
							seen.deviceStatus,
							level === 'WARNING' ? 'WARNING' : 'CRITICAL',
							undefined,
							reading.status,
							levelMagnitude[level],
						),
			),
			time,
		);

		const temperatureOpen = temperatureRule.open !== undefined;
		const voltageOpen = voltageRule.open !== undefined;
		collect(
			mismatchRule.step(
				time,
				line,
				level === 'NORMAL' && (temperatureOpen || voltageOpen)
					? fill(
							seen.mismatch,
							'WARNING',
							undefined,
							// Names the rules the device disagrees with; more of them is worse.
							temperatureOpen && voltageOpen
								? 'THRESHOLD_BREACH_TEMP and THRESHOLD_BREACH_VOLTAGE'
								: temperatureOpen
									? 'THRESHOLD_BREACH_TEMP'
									: 'THRESHOLD_BREACH_VOLTAGE',
							Number(temperatureOpen) + Number(voltageOpen),
						)
					: undefined,
			),
			time,
		);
	};

	// Every line: the clock moves to its time, and a silence it ends resolves.
	const startLine = (wall: number, line: number): number => {
		advance(wall);
		const time = latest;
		if (heartbeat) {
			heartbeat.end = time;
			heartbeat.peak = silenceSeconds(heartbeat.silentSince!, time);
			heartbeat.lastLine = line;
			events.push(snapshot('resolved', heartbeat, time));
			heartbeat = undefined;
		}

		lastLineAt = time;
		lastLine = line;
		return time;
	};

	function* reportEntriesAt(now: number): Generator<ReportEntry> {
		// Open incidents come after every closed one of their own rule: one merge orders all.
		const open = openIncidents().map((incident) =>
			toReportEntry(incident, now),
		);
		yield* mergeInReportOrder([closed.entries(), open]);
	}

	if (options.state) {
		const {state} = options;
		current = structuredClone(state.thresholds);
		retunedAt = state.retunedAt ?? Number.NEGATIVE_INFINITY;
		latest = state.latest ?? Number.NEGATIVE_INFINITY;
		stepOffset = state.stepOffset;
		lastLineAt = state.lastLineAt;
		lastLine = state.lastLine;
		previousTime = state.previousReading?.time;
		previousTemperature = state.previousReading?.temperature ?? 0;
		reconnectedAt = state.reconnectedAt;
		heartbeat = state.heartbeat;
		errorRate = state.errorRate;
		// One at a time: a window of a hundred thousand is too many arguments for push(...).
		for (const time of state.errorTimes) {
			errorTimes.push(time);
		}

		for (const name of trackedRules) {
			rules[name].load(state.rules[name]);
		}
	}

	return {
		observe(input) {
			const time = startLine(input.time, input.line);
			if ('error' in input) {
				observeError(time, input.line);
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
			observeError(startLine(wall, line), line);
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
			if (previousTime !== undefined) {
				reconnectedAt = Math.min(timeAt(now), comparisonLapsesAt(previousTime));
			}

			previousTime = undefined;
		},
		active(now) {
			return openIncidents().map((incident) =>
				toReportEntry(incident, timeAt(now)),
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
			return structuredClone({
				thresholds: current,
				retunedAt: finite(retunedAt),
				latest: finite(latest),
				stepOffset,
				lastLineAt,
				lastLine,
				previousReading:
					previousTime === undefined
						? undefined
						: {time: previousTime, temperature: previousTemperature},
				reconnectedAt,
				heartbeat,
				errorRate,
				errorTimes: errorTimes.slice(errorsFrom),
				rules: {
					temperature: temperatureRule.save(),
					voltage: voltageRule.save(),
					rapidChange: rapidChangeRule.save(),
					deviceStatus: deviceStatusRule.save(),
					mismatch: mismatchRule.save(),
				},
			});
		},
		retune(next) {
			const previous = current;
			current = structuredClone(next);
			retunedAt = latest;
			// Only a rule whose own settings changed is retuned, so an edit elsewhere does not
			// restart a breach that is waiting out its for_s.
			if (!sameValues(previous.temperature, current.temperature)) {
				temperatureRule.retune(current.temperature.for_s * 1000, current);
				rapidChangeRule.retune(0, current);
			}

			if (!sameValues(previous.voltage, current.voltage)) {
				voltageRule.retune(current.voltage.for_s * 1000, current);
			}
		},
	};
}

const levelMagnitude = {WARNING: 1, CRITICAL: 2, OFFLINE: 3} as const;

function emptyObservation(): Observation {
	return {severity: 'WARNING', threshold: undefined, value: 0, magnitude: 0};
}

// eslint-disable-next-line max-params -- one per field: an options object would be the garbage this avoids
function fill(
	observation: Observation,
	severity: Observation['severity'],
	threshold: number | undefined,
	value: number | string,
	magnitude: number,
): Observation {
	observation.severity = severity;
	observation.threshold = threshold;
	observation.value = value;
	observation.magnitude = magnitude;
	return observation;
}

function sameValues<T extends Record<string, unknown>>(a: T, b: T): boolean {
	return Object.keys(a).every((key) => Object.is(a[key], b[key]));
}
