// Monitor snapshots for UI tests, built by the real state model from lines run through the
// real line pipeline (parser and detector), at times the test chooses.
import {
	defaultConfig,
	type Config,
	detectorSettings,
} from '../../source/core/config.js';
import {createDetector} from '../../source/core/detector.js';
import type {IncidentEvent} from '../../source/core/incident.js';
import {
	createBatchPipeline,
	deviceCodec,
} from '../../source/app/line-pipeline.js';
import {
	createMonitorState,
	type ConfigSource,
	type MonitorState,
} from '../../source/app/monitor-state.js';
import {builtinSettings, genericRows} from '../../source/app/builtin-device.js';
import {limits} from './limits.js';

export const startedAt = Date.parse('2026-11-25T10:00:00Z');

/** A state fed through the real parser and detector: lines are device text, one per `stepMs`. */
export function feedLines(
	lines: ReadonlyArray<string | Uint8Array>,
	options: {
		config?: Config;
		stepMs?: number;
		demo?: boolean;
		configSource?: ConfigSource;
	} = {},
): {state: MonitorState; time: number; events: IncidentEvent[]} {
	const config = options.config ?? defaultConfig;
	const stepMs = options.stepMs ?? 100;
	const detector = createDetector(detectorSettings(config));
	const all: IncidentEvent[] = [];
	const pipeline = createBatchPipeline(deviceCodec(config), detector, {
		metrics: {
			append(rows) {
				state.onReadings(genericRows(rows));
			},
		},
		errors: {
			append(errors) {
				state.onErrors(errors);
			},
		},
		events(events) {
			state.onEvents(events);
			all.push(...events);
		},
	});
	const settings = builtinSettings(config);
	const state = createMonitorState({
		config,
		profile: settings.profile,
		settings,
		configPath: 'config.yaml',
		configSource: options.configSource ?? 'file',
		demo: options.demo ?? true,
		startedAt,
		reportPath: 'data/anomaly_report.json',
		lineCounts: () => pipeline.stats,
	});
	const encoder = new TextEncoder();
	let time = startedAt;
	for (const [index, text] of lines.entries()) {
		time = startedAt + (index + 1) * stepMs;
		const bytes = typeof text === 'string' ? encoder.encode(text) : text;
		// As the collector does: raw.log first, which numbers the line, then the pipeline.
		state.onRawLines(time, index + 1, [bytes]);
		pipeline.process(time, index + 1, [bytes]);
	}

	return {state, time, events: all};
}
