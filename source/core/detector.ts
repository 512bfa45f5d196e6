// The streaming anomaly detector: a pure state machine fed lines with their receive
// times and clock ticks. Live monitoring ticks it from a timer; replay and detect tick it
// with each line's own time. Time-driven transitions (heartbeat loss, the parse-error
// rate falling back) are stamped with the exact instant they became true, not the tick's,
// so both paths give the same report byte for byte.
import type {Config} from './config.js';
import {
	compareIncidents,
	formatThreshold,
	toReportEntry,
	type Incident,
	type IncidentEvent,
	type IncidentEventKind,
	type ReportEntry,
} from './incident.js';
import {
	createIncidentTracker,
	type Observation,
	type TrackerEvent,
} from './incident-tracker.js';
import type {Reading} from './protocol.js';
import {
	judgeTemperature,
	judgeVoltage,
	lowestTemperatureAlarm,
} from './thresholds.js';

export type Thresholds = Config['thresholds'];

/** One received line: a valid reading or a parse error, with its raw.log line number. */
export type DetectorInput =
	| {time: number; line: number; reading: Reading}
	| {time: number; line: number; error: string};

export type Detector = {
	/** How many incidents report() would list. */
	readonly incidentCount: number;
	/** Feed one line (ticks to its time first). Returns the incident events it caused. */
	observe(input: DetectorInput): IncidentEvent[];
	/**
	 * Advance the clock: fires heartbeat loss, ages out parse errors, ends a rapid change
	 * whose readings stopped. The heartbeat starts with the first line: before it nothing
	 * was lost, the device is still awaited.
	 */
	tick(now: number): IncidentEvent[];
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
};

const minuteMs = 60_000;
// Bounds memory under a flood of garbage; the rate only needs max_per_min + 1 of them.
const maxErrorTimes = 100_000;

export function createDetector(thresholds: Thresholds): Detector {
	// A copy: a caller that edits its object afterwards does not retune behind our back.
	let current = structuredClone(thresholds);
	// The last tick before the latest retune: time-driven transitions that the new
	// thresholds make true are stamped no earlier, since the old ones held until then.
	let retunedAt = Number.NEGATIVE_INFINITY;
	const incidents: Incident[] = [];
	const record = (incident: Incident) => {
		incidents.push(incident);
	};

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
	// The reading a rapid change is measured from; forgotten at a reconnect.
	let previousReading: {time: number; temperature: number} | undefined;
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
		describeTemperature(current.temperature),
		record,
	);
	const voltageRule = createIncidentTracker(
		'THRESHOLD_BREACH_VOLTAGE',
		current.voltage.for_s * 1000,
		describeVoltage(current.voltage),
		record,
	);
	const rapidChangeRule = createIncidentTracker(
		'RAPID_CHANGE_TEMP',
		0,
		describeRapidChange(current.temperature),
		record,
	);
	const deviceStatusRule = createIncidentTracker(
		'DEVICE_STATUS',
		0,
		(incident) => `Device reported status ${String(incident.peak)}.`,
		record,
	);
	const mismatchRule = createIncidentTracker(
		'STATUS_MISMATCH',
		0,
		(incident) =>
			`Device reported NORMAL while ${String(incident.peak)} ${String(incident.peak).includes(' and ') ? 'were' : 'was'} firing; its own sensing disagrees with the readings.`,
		record,
	);

	const observeTemperature = (value: number): Observation | undefined => {
		const {temperature} = current;
		const base = {value, magnitude: value};
		const judged = judgeTemperature(value, temperature);
		if (judged.level !== 'NORMAL') {
			return {...base, severity: judged.level, threshold: judged.threshold};
		}

		// Hysteresis: an open incident holds until the value is clear_margin below its threshold.
		if (
			temperatureRule.open &&
			value > lowestTemperatureAlarm(temperature) - temperature.clear_margin_c
		) {
			return {...base, severity: 'WARNING', threshold: undefined};
		}

		return undefined;
	};

	const observeVoltage = (value: number): Observation | undefined => {
		const {voltage} = current;
		const outside = Math.max(value - voltage.max_v, voltage.min_v - value);
		const base = {value, magnitude: outside, severity: 'CRITICAL' as const};
		const judged = judgeVoltage(value, voltage);
		if (judged.level !== 'NORMAL') {
			return {...base, threshold: judged.threshold};
		}

		if (voltageRule.open && outside > -voltage.clear_margin_v) {
			return {...base, threshold: undefined};
		}

		return undefined;
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
			previousReading === undefined ||
			time - previousReading.time > current.heartbeat_timeout_s * 1000
		) {
			return undefined;
		}

		// Rounded to the hundredth the device can report, so float noise never decides.
		const change =
			Math.round((value - previousReading.temperature) * 100) / 100;
		const limit = current.temperature.max_change_c;
		return Math.abs(change) > limit
			? {
					severity: 'WARNING',
					threshold: limit,
					value: change,
					magnitude: Math.abs(change),
				}
			: undefined;
	};

	// When the silence since the previous reading grew too long for the next one to be
	// compared with it: the instant the heartbeat's own test (on any line) becomes true.
	const comparisonLapsesAt = (reading: {time: number}) =>
		Math.max(reading.time + current.heartbeat_timeout_s * 1000, retunedAt);

	// A rapid change ends when no next comparison can involve its reading: at the next
	// reading (which either continues it or resolves it), at a reconnect, or when the
	// silence after it passes heartbeat_timeout_s, whichever comes first. Stamped with the
	// instant, not the tick that noticed, as the heartbeat is.
	const rapidChangeEndsAt = (): number | undefined => {
		if (reconnectedAt !== undefined) {
			return reconnectedAt;
		}

		if (
			previousReading !== undefined &&
			latest > previousReading.time + current.heartbeat_timeout_s * 1000
		) {
			return comparisonLapsesAt(previousReading);
		}

		return undefined;
	};

	const snapshot = (
		kind: IncidentEventKind,
		incident: Incident,
		now: number,
	): IncidentEvent => ({
		event: kind,
		at: new Date(now).toISOString(),
		incident: toReportEntry(incident, now),
	});

	const collect = (
		events: IncidentEvent[],
		change: TrackerEvent | undefined,
		now: number,
	) => {
		if (change) {
			events.push(snapshot(change.kind, change.incident, now));
		}
	};

	const tick = (now: number): IncidentEvent[] => {
		advanceTo(now);
		const events: IncidentEvent[] = [];
		const rapidChangeEnd = rapidChangeRule.open
			? rapidChangeEndsAt()
			: undefined;
		if (rapidChangeEnd !== undefined) {
			collect(events, rapidChangeRule.end(rapidChangeEnd), latest);
		}

		const timeoutS = current.heartbeat_timeout_s;
		const heartbeatMs = timeoutS * 1000;
		if (
			!heartbeat &&
			lastLineAt !== undefined &&
			latest > lastLineAt + heartbeatMs
		) {
			const silentSince = lastLineAt;
			const silenceS = (at: number) =>
				Math.round((at - silentSince) / 100) / 10;
			heartbeat = {
				type: 'HEARTBEAT_LOSS',
				severity: 'CRITICAL',
				start: Math.max(silentSince + heartbeatMs, retunedAt),
				end: undefined,
				value: timeoutS,
				peak: undefined,
				threshold: timeoutS,
				readings: 0,
				firstLine: lastLine,
				lastLine: undefined,
				describe: (_incident, at) =>
					`No data received for ${silenceS(at).toFixed(1)} seconds. Device may be offline.`,
				peakAt: silenceS,
			};
			record(heartbeat);
			events.push(snapshot('fired', heartbeat, latest));
		}

		// The rate falls back to the limit when the (limit+1)-th newest error leaves the window.
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

		return events;
	};

	const observeError = (
		time: number,
		line: number,
		events: IncidentEvent[],
	) => {
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
				describe: (incident) =>
					`${String(incident.peak)} malformed lines within a minute, more than the limit of ${limit} per minute.`,
			};
			record(errorRate);
			events.push(snapshot('fired', errorRate, time));
		}
	};

	const observeReading = (
		time: number,
		line: number,
		reading: Reading,
		events: IncidentEvent[],
	) => {
		collect(
			events,
			temperatureRule.step(time, line, observeTemperature(reading.temperature)),
			time,
		);
		collect(
			events,
			voltageRule.step(time, line, observeVoltage(reading.voltage)),
			time,
		);
		collect(
			events,
			rapidChangeRule.step(
				time,
				line,
				observeRapidChange(time, reading.temperature),
			),
			time,
		);
		previousReading = {time, temperature: reading.temperature};
		reconnectedAt = undefined;

		const {level} = reading;
		collect(
			events,
			deviceStatusRule.step(
				time,
				line,
				level === 'NORMAL'
					? undefined
					: {
							severity: level === 'WARNING' ? 'WARNING' : 'CRITICAL',
							threshold: undefined,
							value: reading.status,
							magnitude: levelMagnitude[level],
						},
			),
			time,
		);

		const firing = [temperatureRule.open, voltageRule.open]
			.filter((incident) => incident !== undefined)
			.map((incident) => incident.type)
			.join(' and ');
		collect(
			events,
			mismatchRule.step(
				time,
				line,
				level === 'NORMAL' && firing !== ''
					? {
							severity: 'WARNING',
							threshold: undefined,
							// Names the rules the device disagrees with; more of them is worse.
							value: firing,
							magnitude: firing.split(' and ').length,
						}
					: undefined,
			),
			time,
		);
	};

	return {
		observe(input) {
			const events = tick(input.time);
			const time = latest;
			if (heartbeat) {
				heartbeat.end = time;
				heartbeat.peak = heartbeat.peakAt?.(time);
				heartbeat.lastLine = input.line;
				events.push(snapshot('resolved', heartbeat, time));
				heartbeat = undefined;
			}

			lastLineAt = time;
			lastLine = input.line;
			if ('error' in input) {
				observeError(time, input.line, events);
			} else {
				observeReading(time, input.line, input.reading, events);
			}

			return events;
		},
		tick,
		reconnected(now) {
			if (previousReading !== undefined) {
				reconnectedAt = Math.min(
					timeAt(now),
					comparisonLapsesAt(previousReading),
				);
			}

			previousReading = undefined;
		},
		active(now) {
			return incidents
				.filter((incident) => incident.end === undefined)
				.toSorted(compareIncidents)
				.map((incident) => toReportEntry(incident, timeAt(now)));
		},
		report(now) {
			return incidents
				.toSorted(compareIncidents)
				.map((incident) => toReportEntry(incident, timeAt(now)));
		},
		*reportEntries(now) {
			for (const incident of incidents.toSorted(compareIncidents)) {
				yield toReportEntry(incident, now);
			}
		},
		get incidentCount() {
			return incidents.length;
		},
		retune(next) {
			const previous = current;
			current = structuredClone(next);
			retunedAt = latest;
			// Only a rule whose own settings changed is retuned, so an edit elsewhere does not
			// restart a breach that is waiting out its for_s.
			if (!sameValues(previous.temperature, current.temperature)) {
				temperatureRule.retune(
					current.temperature.for_s * 1000,
					describeTemperature(current.temperature),
				);
				rapidChangeRule.retune(0, describeRapidChange(current.temperature));
			}

			if (!sameValues(previous.voltage, current.voltage)) {
				voltageRule.retune(
					current.voltage.for_s * 1000,
					describeVoltage(current.voltage),
				);
			}
		},
	};
}

const levelMagnitude = {WARNING: 1, CRITICAL: 2, OFFLINE: 3} as const;

// Descriptions name the threshold the incident fired against: its own `threshold` (which
// a worsening updates), else the settings it fired under, never ones retuned later.
function describeTemperature(
	temperature: Thresholds['temperature'],
): Incident['describe'] {
	return (incident) =>
		incident.severity === 'CRITICAL'
			? `Temperature ${fixed(incident.peak)}°C exceeded threshold of ${formatThreshold(incident.threshold ?? temperature.max_c)}°C.`
			: `Temperature ${fixed(incident.peak)}°C exceeded warning threshold of ${formatThreshold(incident.threshold ?? lowestTemperatureAlarm(temperature))}°C.`;
}

function describeVoltage(voltage: Thresholds['voltage']): Incident['describe'] {
	return (incident) =>
		`Voltage ${fixed(incident.peak)}V was outside the normal range of ${formatThreshold(voltage.min_v)}V-${formatThreshold(voltage.max_v)}V.`;
}

function describeRapidChange(
	temperature: Thresholds['temperature'],
): Incident['describe'] {
	return (incident) =>
		`Temperature changed by ${fixed(incident.peak)}°C, exceeding the rate-of-change threshold of ${formatThreshold(incident.threshold ?? temperature.max_change_c)}°C.`;
}

function sameValues<T extends Record<string, unknown>>(a: T, b: T): boolean {
	return Object.keys(a).every((key) => Object.is(a[key], b[key]));
}

function fixed(value: number | string | undefined): string {
	return typeof value === 'number' ? value.toFixed(2) : String(value);
}
