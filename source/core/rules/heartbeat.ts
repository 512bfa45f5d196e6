// HEARTBEAT_LOSS: no line of any kind for heartbeat_timeout_s, once a first line came
// (before it the device is awaited, not lost). It starts at the instant the silence passed
// the timeout (never before the latest retune, as the old timeout held until then), not at
// the tick that noticed, and resolves at the next line; its peak is the silence's length.
import type {Incident, IncidentBasis} from '../incident.js';
import {silenceSeconds} from '../report-entry.js';
import type {Rule, Timeline} from './rule.js';

export type HeartbeatRule = Rule & {
	line(time: number, line: number): void;
	retune(timeoutS: number): void;
};

export function createHeartbeatRule(
	initialTimeoutS: number,
	timeline: Timeline,
): HeartbeatRule {
	let timeoutS = initialTimeoutS;
	let basis = basisOf(timeoutS);
	let open: Incident | undefined;

	return {
		type: 'HEARTBEAT_LOSS',
		get open() {
			return open;
		},
		tick() {
			const {lastLineAt, gapMs, latest} = timeline;
			if (!open && lastLineAt !== undefined && latest > lastLineAt + gapMs) {
				open = {
					type: 'HEARTBEAT_LOSS',
					severity: 'CRITICAL',
					start: Math.max(lastLineAt + gapMs, timeline.retunedAt),
					end: undefined,
					value: timeoutS,
					peak: undefined,
					threshold: timeoutS,
					readings: 0,
					firstLine: timeline.lastLine,
					lastLine: undefined,
					basis,
					silentSince: lastLineAt,
				};
				timeline.emit('fired', open, latest);
			}
		},
		line(time, line) {
			if (open) {
				open.end = time;
				open.peak = silenceSeconds(open.silentSince!, time);
				open.lastLine = line;
				timeline.emit('resolved', open, time);
				open = undefined;
			}
		},
		close(time) {
			if (open) {
				open.end = time;
				open.peak = silenceSeconds(open.silentSince!, time);
				timeline.emit('resolved', open, timeline.latest);
				open = undefined;
			}
		},
		retune(next) {
			timeoutS = next;
			basis = basisOf(timeoutS);
		},
		save: () => ({open}),
		load(state) {
			open = state.open;
		},
	};
}

function basisOf(timeoutS: number): IncidentBasis {
	return {rule: {kind: 'heartbeat', timeout_s: timeoutS}, field: undefined};
}
