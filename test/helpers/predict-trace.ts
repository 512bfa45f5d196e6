// A predict rule's golden traces: a temperature field (one decimal, °C) with a crit level,
// fed readings at given seconds, and what the detector made of them, one event per line.
import {createDetector, type Detector} from '../../source/core/detector.js';
import type {DeviceProfile} from '../../source/core/device-profile.js';
import type {IncidentEvent} from '../../source/core/incident.js';
import type {
	DetectorSettings,
	PredictRuleSpec,
	RuleSpec,
} from '../../source/core/rule-spec.js';

export const traceStart = Date.parse('2026-11-24T10:00:00.000Z');

export const traceProfile: DeviceProfile = {
	name: 'oven',
	builtin: false,
	format: {type: 'pairs', assign: ':=', separators: ','},
	unknownKeys: 'ignore',
	fields: [
		{
			type: 'number',
			name: 'temperature',
			key: 't',
			label: 'Temperature',
			unit: '°C',
			range: [-1000, 1000],
			decimals: 1,
			optional: false,
			metric: undefined,
		},
	],
};

export function predictSpec(
	overrides: Partial<PredictRuleSpec> = {},
): PredictRuleSpec {
	return {
		kind: 'predict',
		type: 'PREDICTED_BREACH_TEMPERATURE',
		field: 'temperature',
		window_s: 300,
		horizon_s: 900,
		min_readings: 5,
		above: 80,
		below: null,
		...overrides,
	};
}

export function traceSettings(
	predict: PredictRuleSpec = predictSpec(),
	others: RuleSpec[] = [
		{
			kind: 'above',
			type: 'THRESHOLD_BREACH_TEMPERATURE',
			field: 'temperature',
			warn: null,
			crit: 80,
			for_s: 0,
			clear_margin: 0,
		},
	],
): DetectorSettings {
	return {
		profile: traceProfile,
		rules: [...others, predict],
		heartbeat_timeout_s: 5,
		parse_errors: {max_per_min: 10},
	};
}

/** One reading (seconds after the start, value) or a reconnect of the source. */
export type TraceStep =
	{at: number; value: number} | {at: number; reconnect: true};

/** An event as a golden line: what, when (seconds), the ETA it carries, the description. */
export function eventLine(event: IncidentEvent): string {
	const seconds = (Date.parse(event.at) - traceStart) / 1000;
	const {incident} = event;
	const end =
		incident.end === null
			? ''
			: ` (ended ${(Date.parse(incident.end) - traceStart) / 1000})`;
	return `${event.event} ${incident.type} at ${seconds}${end} peak ${String(incident.peak)}: ${incident.description}`;
}

/** The readings of a trace fed to a detector, with a tick each second between them. */
export function runTrace(
	steps: Iterable<TraceStep>,
	settings: DetectorSettings = traceSettings(),
	detector: Detector = createDetector(settings),
): {lines: string[]; detector: Detector} {
	const lines: string[] = [];
	let line = 0;
	for (const step of steps) {
		const time = traceStart + step.at * 1000;
		if ('reconnect' in step) {
			detector.reconnected(time);
			continue;
		}

		line++;
		const events = [
			...detector.tick(time),
			...detector.observeReading(time, line, {
				values: [step.value],
				level: 'NORMAL',
			}),
		];
		lines.push(...events.map((event) => eventLine(event)));
	}

	return {lines, detector};
}

/** A reading a second from `from` to `to` (seconds), of value(t), printed to one decimal. */
export function* ramp(
	from: number,
	to: number,
	value: (seconds: number) => number,
): Generator<TraceStep> {
	for (let at = from; at <= to; at++) {
		yield {at, value: Math.round(value(at) * 10) / 10};
	}
}
