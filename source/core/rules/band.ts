// A value past a level, above or below: `warn` fires a WARNING, `crit` a CRITICAL (the
// worse wins), after `for_s`; an open breach holds until the value is `clear_margin` back
// inside its lowest alarming level (hysteresis). A reading without the field's value leaves
// the rule as it was: an open breach holds until a value comes.
import type {DeviceProfile, Reading} from '../device-profile.js';
import type {IncidentBasis} from '../incident.js';
import {
	createIncidentTracker,
	type IncidentTracker,
} from '../incident-tracker.js';
import type {BandRuleSpec} from '../rule-spec.js';
import {
	emptyObservation,
	fill,
	numberMeta,
	resolveNumberField,
} from './rule-field.js';
import type {Rule, Timeline} from './rule.js';

/** The warning level, if it is a band: inside crit (below it above, above it below). */
export function warningLevel(spec: BandRuleSpec): number | null {
	const {warn, crit} = spec;
	if (warn === null || crit === null) {
		return warn;
	}

	return (spec.kind === 'above' ? warn < crit : warn > crit) ? warn : null;
}

export type BandRule = Rule & {
	/** Its incidents: a status mismatch asks whether one is open at every reading. */
	readonly tracker: IncidentTracker;
	retune(spec: BandRuleSpec, profile: DeviceProfile): void;
};

export function createBandRule(
	initial: BandRuleSpec,
	profile: DeviceProfile,
	timeline: Timeline,
): BandRule {
	let spec = initial;
	let warn = warningLevel(spec);
	// Decided once, not per reading: the settings' strings are a copy's, which compare by
	// content rather than by identity.
	let above = spec.kind === 'above';
	let {index} = resolveNumberField(profile, spec.field);
	let basis = basisOf(spec, profile);
	const tracker = createIncidentTracker(spec.type, spec.for_s * 1000, basis);
	const seen = emptyObservation();

	// The level a value is past (undefined: none), the worse first.
	const pastAbove = (value: number) =>
		spec.crit !== null && value > spec.crit
			? spec.crit
			: warn !== null && value > warn
				? warn
				: undefined;
	const pastBelow = (value: number) =>
		spec.crit !== null && value < spec.crit
			? spec.crit
			: warn !== null && value < warn
				? warn
				: undefined;

	const observe = (value: number) => {
		const threshold = above ? pastAbove(value) : pastBelow(value);
		if (threshold === undefined) {
			// Hysteresis: an open incident holds until the value is clear_margin inside the
			// level that alarms first.
			const first = warn ?? spec.crit!;
			const holds =
				tracker.open !== undefined &&
				(above
					? value > first - spec.clear_margin
					: value < first + spec.clear_margin);
			if (!holds) {
				return undefined;
			}
		}

		return fill(
			seen,
			threshold !== undefined && threshold === spec.crit
				? 'CRITICAL'
				: 'WARNING',
			threshold,
			value,
			// Bigger is worse: the peak is the highest value above, the lowest below.
			above ? value : -value,
		);
	};

	return {
		type: spec.type,
		tracker,
		get open() {
			return tracker.open;
		},
		reading(time, line, reading: Reading) {
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
			warn = warningLevel(spec);
			above = spec.kind === 'above';
			index = resolveNumberField(nextProfile, spec.field).index;
			basis = basisOf(spec, nextProfile);
			tracker.retune(spec.for_s * 1000, basis);
		},
		save: () => ({tracker: tracker.save()}),
		load(state) {
			if (state.tracker) {
				tracker.load(state.tracker);
			}
		},
	};
}

function basisOf(spec: BandRuleSpec, profile: DeviceProfile): IncidentBasis {
	return {
		rule: spec,
		field: numberMeta(resolveNumberField(profile, spec.field).field),
	};
}
