// A value outside [low, high], at the rule's one severity, after `for_s`; an open breach
// holds until the value is `clear_margin` back inside the range. A reading without the
// field's value leaves the rule as it was: an open breach holds until a value comes.
import type {DeviceProfile} from '../device-profile.js';
import type {IncidentBasis, Severity} from '../incident.js';
import {
	createIncidentTracker,
	type IncidentTracker,
} from '../incident-tracker.js';
import type {OutsideRuleSpec} from '../rule-spec.js';
import {
	emptyObservation,
	fill,
	numberMeta,
	resolveNumberField,
} from './rule-field.js';
import type {Rule, Timeline} from './rule.js';

export type OutsideRule = Rule & {
	/** Its incidents: a status mismatch asks whether one is open at every reading. */
	readonly tracker: IncidentTracker;
	retune(spec: OutsideRuleSpec, profile: DeviceProfile): void;
};

export function createOutsideRule(
	initial: OutsideRuleSpec,
	profile: DeviceProfile,
	timeline: Timeline,
): OutsideRule {
	let spec = initial;
	let {index} = resolveNumberField(profile, spec.field);
	const tracker = createIncidentTracker(
		spec.type,
		spec.for_s * 1000,
		basisOf(spec, profile),
	);
	const seen = emptyObservation();
	// The literal, not the settings' copy of it: the tracker ranks severities by key, and a
	// copied string is looked up by content.
	let severity = literalSeverity(spec.severity);

	const observe = (value: number) => {
		// How far outside (negative: inside): decides the peak, whichever side it left.
		const outside = Math.max(value - spec.high, spec.low - value);
		const threshold =
			value > spec.high ? spec.high : value < spec.low ? spec.low : undefined;
		if (
			threshold === undefined &&
			!(tracker.open && outside > -spec.clear_margin)
		) {
			return undefined;
		}

		return fill(seen, severity, threshold, value, outside);
	};

	return {
		type: spec.type,
		tracker,
		get open() {
			return tracker.open;
		},
		reading(time, line, reading) {
			const value = reading.values[index];
			if (typeof value === 'number') {
				const change = tracker.step(time, line, observe(value));
				if (change) {
					timeline.emit(change.kind, change.incident, time);
				}
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
			index = resolveNumberField(nextProfile, spec.field).index;
			severity = literalSeverity(spec.severity);
			tracker.retune(spec.for_s * 1000, basisOf(spec, nextProfile));
		},
		save: () => ({tracker: tracker.save()}),
		load(state) {
			if (state.tracker) {
				tracker.load(state.tracker);
			}
		},
	};
}

function basisOf(spec: OutsideRuleSpec, profile: DeviceProfile): IncidentBasis {
	return {
		rule: spec,
		field: numberMeta(resolveNumberField(profile, spec.field).field),
	};
}

function literalSeverity(severity: Severity): Severity {
	return severity === 'WARNING' ? 'WARNING' : 'CRITICAL';
}
