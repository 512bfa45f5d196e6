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

export type Thresholds = Config['thresholds'];

/** One received line: a valid reading or a parse error, with its raw.log line number. */
export type DetectorInput =
	| {time: number; line: number; reading: Reading}
	| {time: number; line: number; error: string};

export type Detector = {
	/** Feed one line (ticks to its time first). Returns the incident events it caused. */
	observe(input: DetectorInput): IncidentEvent[];
	/** Advance the clock: fires heartbeat loss, ages out parse errors. */
	tick(now: number): IncidentEvent[];
	/** Incidents that have fired and not resolved. */
	active(now: number): ReportEntry[];
	/** Every incident so far, sorted by start time. */
	report(now: number): ReportEntry[];
};

const minuteMs = 60_000;
// Bounds memory under a flood of garbage; the rate only needs max_per_min + 1 of them.
const maxErrorTimes = 100_000;

export function createDetector(
	thresholds: Thresholds,
	options: {startedAt?: number} = {},
): Detector {
	const {temperature, voltage, parse_errors: parseErrors} = thresholds;
	const heartbeatMs = thresholds.heartbeat_timeout_s * 1000;
	const incidents: Incident[] = [];
	const record = (incident: Incident) => {
		incidents.push(incident);
	};

	let latest = options.startedAt ?? Number.NEGATIVE_INFINITY;
	let lastLineAt = options.startedAt;
	let lastLine: number | undefined;
	let previousTemperature: number | undefined;
	let heartbeat: Incident | undefined;
	let errorRate: Incident | undefined;
	// Receive times of the malformed lines in the last minute: errorTimes[errorsFrom..].
	// Expired ones are skipped by moving errorsFrom, not by shift(), which copies the array
	// and made every line of a garbage flood cost O(window).
	const errorTimes: number[] = [];
	let errorsFrom = 0;

	const temperatureRule = createIncidentTracker(
		'THRESHOLD_BREACH_TEMP',
		temperature.for_s * 1000,
		(incident) =>
			incident.severity === 'CRITICAL'
				? `Temperature ${fixed(incident.peak)}°C exceeded threshold of ${formatThreshold(temperature.max_c)}°C.`
				: `Temperature ${fixed(incident.peak)}°C exceeded warning threshold of ${formatThreshold(temperature.warn_c ?? temperature.max_c)}°C.`,
		record,
	);
	const voltageRule = createIncidentTracker(
		'THRESHOLD_BREACH_VOLTAGE',
		voltage.for_s * 1000,
		(incident) =>
			`Voltage ${fixed(incident.peak)}V was outside the normal range of ${formatThreshold(voltage.min_v)}V-${formatThreshold(voltage.max_v)}V.`,
		record,
	);
	const rapidChangeRule = createIncidentTracker(
		'RAPID_CHANGE_TEMP',
		0,
		(incident) =>
			`Temperature changed by ${fixed(incident.peak)}°C, exceeding the rate-of-change threshold of ${formatThreshold(temperature.max_change_c)}°C.`,
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
		const base = {value, magnitude: value};
		if (value > temperature.max_c) {
			return {...base, severity: 'CRITICAL', threshold: temperature.max_c};
		}

		const lowest = temperature.warn_c ?? temperature.max_c;
		if (temperature.warn_c !== null && value > temperature.warn_c) {
			return {...base, severity: 'WARNING', threshold: temperature.warn_c};
		}

		// Hysteresis: an open incident holds until the value is clear_margin below its threshold.
		if (temperatureRule.open && value > lowest - temperature.clear_margin_c) {
			return {...base, severity: 'WARNING', threshold: undefined};
		}

		return undefined;
	};

	const observeVoltage = (value: number): Observation | undefined => {
		const outside = Math.max(value - voltage.max_v, voltage.min_v - value);
		const base = {value, magnitude: outside, severity: 'CRITICAL' as const};
		if (outside > 0) {
			return {
				...base,
				threshold: value > voltage.max_v ? voltage.max_v : voltage.min_v,
			};
		}

		if (voltageRule.open && outside > -voltage.clear_margin_v) {
			return {...base, threshold: undefined};
		}

		return undefined;
	};

	const observeRapidChange = (value: number): Observation | undefined => {
		if (previousTemperature === undefined) {
			return undefined;
		}

		// Rounded to the hundredth the device can report, so float noise never decides.
		const change = Math.round((value - previousTemperature) * 100) / 100;
		return Math.abs(change) > temperature.max_change_c
			? {
					severity: 'WARNING',
					threshold: temperature.max_change_c,
					value: change,
					magnitude: Math.abs(change),
				}
			: undefined;
	};

	const snapshot = (
		kind: IncidentEventKind,
		incident: Incident,
		now: number,
	) => ({
		event: kind,
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
		latest = Math.max(latest, now);
		const events: IncidentEvent[] = [];
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
				start: silentSince + heartbeatMs,
				end: undefined,
				value: thresholds.heartbeat_timeout_s,
				peak: undefined,
				threshold: thresholds.heartbeat_timeout_s,
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
		const limitIndex = errorTimes.length - 1 - parseErrors.max_per_min;
		const limitTime =
			limitIndex >= errorsFrom ? errorTimes[limitIndex] : undefined;
		// (No such error while the incident is open; were there none, it ends now, not at -Infinity.)
		const fallsBackAt = (limitTime ?? latest - minuteMs) + minuteMs;
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
		if (errorRate) {
			errorRate.readings++;
			errorRate.lastLine = line;
			// The peak is kept, not announced: its severity cannot rise (as for every rule).
			errorRate.peak = Math.max(count, Number(errorRate.peak));
		} else if (count > parseErrors.max_per_min) {
			errorRate = {
				type: 'PARSE_ERROR_RATE',
				severity: 'WARNING',
				start: time,
				end: undefined,
				value: count,
				peak: count,
				threshold: parseErrors.max_per_min,
				readings: 1,
				firstLine: line,
				lastLine: line,
				describe: (incident) =>
					`${String(incident.peak)} malformed lines within a minute, more than the limit of ${parseErrors.max_per_min} per minute.`,
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
			rapidChangeRule.step(time, line, observeRapidChange(reading.temperature)),
			time,
		);
		previousTemperature = reading.temperature;

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
		active(now) {
			return incidents
				.filter((incident) => incident.end === undefined)
				.toSorted(compareIncidents)
				.map((incident) => toReportEntry(incident, now));
		},
		report(now) {
			return incidents
				.toSorted(compareIncidents)
				.map((incident) => toReportEntry(incident, now));
		},
	};
}

const levelMagnitude = {WARNING: 1, CRITICAL: 2, OFFLINE: 3} as const;

function fixed(value: number | string | undefined): string {
	return typeof value === 'number' ? value.toFixed(2) : String(value);
}
