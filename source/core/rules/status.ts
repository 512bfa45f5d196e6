// The device itself reports a level other than NORMAL on a status field: WARNING is a
// WARNING, CRITICAL and OFFLINE are CRITICAL (OFFLINE the worse). A reading without the
// field's value leaves the rule as it was.
import type {DeviceProfile, Reading, StatusField} from '../device-profile.js';
import type {IncidentBasis} from '../incident.js';
import {createIncidentTracker} from '../incident-tracker.js';
import type {StatusLevel} from '../protocol.js';
import type {MismatchRuleSpec, StatusRuleSpec} from '../rule-spec.js';
import {
	emptyObservation,
	fill,
	resolveStatusField,
	statusMeta,
} from './rule-field.js';
import {statusLevelOf} from './status-level.js';
import type {Rule, Timeline} from './rule.js';

export type StatusRule = Rule & {
	retune(spec: StatusRuleSpec, profile: DeviceProfile): void;
};

const levelMagnitude = {
	NORMAL: 0,
	WARNING: 1,
	CRITICAL: 2,
	OFFLINE: 3,
} as const;

/**
 * A status field's text and level in a reading, or undefined where it is absent. With one
 * status field the reading's own level is that field's (no table lookup per reading).
 */
export function createStatusReader(profile: DeviceProfile, name: string) {
	const {index, field, several} = resolveStatusField(profile, name);
	return {
		several,
		field,
		text: (reading: Reading) => reading.values[index],
		level: (reading: Reading, text: string): StatusLevel =>
			several ? statusLevelOf(field, text) : reading.level,
	};
}

export function statusBasis(
	spec: StatusRuleSpec | MismatchRuleSpec,
	field: StatusField,
	several: boolean,
): IncidentBasis {
	return {rule: spec, field: statusMeta(field, several)};
}

export function createStatusRule(
	initial: StatusRuleSpec,
	profile: DeviceProfile,
	timeline: Timeline,
): StatusRule {
	let spec = initial;
	let status = createStatusReader(profile, spec.field);
	const tracker = createIncidentTracker(
		spec.type,
		0,
		statusBasis(spec, status.field, status.several),
	);
	const seen = emptyObservation();

	return {
		type: spec.type,
		get open() {
			return tracker.open;
		},
		reading(time, line, reading) {
			const text = status.text(reading);
			if (typeof text !== 'string') {
				return;
			}

			const level = status.level(reading, text);
			const change = tracker.step(
				time,
				line,
				level === 'NORMAL'
					? undefined
					: fill(
							seen,
							level === 'WARNING' ? 'WARNING' : 'CRITICAL',
							undefined,
							text,
							levelMagnitude[level],
						),
			);
			if (change) {
				timeline.emit(change.kind, change.incident, time);
			}
		},
		close(time) {
			const change = tracker.end(time);
			if (change) {
				timeline.emit(change.kind, change.incident, timeline.latest);
			}
		},
		retune(next, nextProfile) {
			spec = next;
			status = createStatusReader(nextProfile, spec.field);
			tracker.retune(0, statusBasis(spec, status.field, status.several));
		},
		save: () => ({tracker: tracker.save()}),
		load(state) {
			if (state.tracker) {
				tracker.load(state.tracker);
			}
		},
	};
}
