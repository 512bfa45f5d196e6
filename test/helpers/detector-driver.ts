// A detector driven by hand in tests: device lines at seconds after t0, numbered 1..n.
import {Buffer} from 'node:buffer';
import {defaultConfig} from '../../source/core/config.js';
import {createDetector, type Thresholds} from '../../source/core/detector.js';
import type {IncidentEvent} from '../../source/core/incident.js';
import {parseLine} from './tvs-line.js';
import {asReading, builtinSettings} from './builtin-settings.js';
import {limits} from './limits.js';

export {asReading, builtinSettings} from './builtin-settings.js';

export const t0 = Date.parse('2026-11-24T10:00:00.000Z');

export function thresholdsWith(
	change: (thresholds: Thresholds) => void,
): Thresholds {
	const thresholds = structuredClone(defaultConfig.thresholds);
	change(thresholds);
	return thresholds;
}

export function drive(thresholds: Thresholds = defaultConfig.thresholds) {
	const detector = createDetector(builtinSettings(thresholds));
	let line = 0;
	return {
		detector,
		line(seconds: number, text: string): readonly IncidentEvent[] {
			line++;
			const result = parseLine(Buffer.from(text), limits);
			const time = t0 + seconds * 1000;
			return detector.observe(
				result.ok
					? {time, line, reading: asReading(result.reading)}
					: {time, line, error: result.reason},
			);
		},
		tick: (seconds: number) => detector.tick(t0 + seconds * 1000),
		report: (seconds: number) => detector.report(t0 + seconds * 1000),
	};
}

export const normal = (temperature = 25, voltage = 5) =>
	`T:${temperature},V:${voltage},S:NORMAL`;

/** `<event> <type> <severity>` per event, for comparing sequences at a glance. */
export const summary = (events: readonly IncidentEvent[]) =>
	events.map(
		({event, incident}) => `${event} ${incident.type} ${incident.severity}`,
	);

/** The ISO time of seconds after t0. */
export const at = (seconds: number) =>
	new Date(t0 + seconds * 1000).toISOString();
