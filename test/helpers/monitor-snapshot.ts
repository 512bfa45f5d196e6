// Monitor snapshots for UI tests, built by the real state model from readings and
// incident events, at times the test chooses.
import {defaultConfig, type Config} from '../../source/core/config.js';
import {createDetector} from '../../source/core/detector.js';
import type {IncidentEvent} from '../../source/core/incident.js';
import {parseLine} from '../../source/core/protocol.js';
import {
	createMonitorState,
	type MonitorState,
} from '../../source/app/monitor-state.js';
import {limits} from './limits.js';

export const startedAt = Date.parse('2026-11-25T10:00:00Z');

/** A state fed through the real parser and detector: lines are device text, one per `stepMs`. */
export function feedLines(
	lines: readonly string[],
	options: {config?: Config; stepMs?: number; demo?: boolean} = {},
): {state: MonitorState; time: number; events: IncidentEvent[]} {
	const config = options.config ?? defaultConfig;
	const stepMs = options.stepMs ?? 100;
	const detector = createDetector(config.thresholds);
	const state = createMonitorState({
		config,
		configPath: 'config.yaml',
		demo: options.demo ?? true,
		startedAt,
		reportPath: 'data/anomaly_report.json',
	});
	const encoder = new TextEncoder();
	const all: IncidentEvent[] = [];
	let time = startedAt;
	for (const [index, text] of lines.entries()) {
		time = startedAt + (index + 1) * stepMs;
		const bytes = encoder.encode(text);
		const result = parseLine(bytes, limits);
		const events = result.ok
			? detector.observe({time, line: index + 1, reading: result.reading})
			: detector.observe({time, line: index + 1, error: result.reason});
		if (result.ok) {
			state.onReadings([{time, line: index + 1, reading: result.reading}]);
		} else {
			state.onErrors([{time, bytes, reason: result.reason}]);
		}

		state.onEvents(events);
		all.push(...events);
	}

	return {state, time, events: all};
}
