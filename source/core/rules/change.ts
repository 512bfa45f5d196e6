// A change larger than `max` between consecutive readings of a field (`per: reading`), or
// a rate of change larger than `max` per second between them (`per: second`). Readings are
// consecutive only within one stretch of data: no reconnect between them and no more than
// heartbeat_timeout_s apart (the heartbeat's own test, so a silence, or one filled only
// with malformed lines, breaks the comparison too). A reading without the field's value
// leaves the rule as it was.
import type {DeviceProfile} from '../device-profile.js';
import type {IncidentBasis} from '../incident.js';
import {createIncidentTracker} from '../incident-tracker.js';
import type {ChangeRuleSpec} from '../rule-spec.js';
import {
	emptyObservation,
	fill,
	numberMeta,
	resolveNumberField,
} from './rule-field.js';
import type {Rule, Timeline} from './rule.js';

export type ChangeRule = Rule & {
	retune(spec: ChangeRuleSpec, profile: DeviceProfile): void;
};

export function createChangeRule(
	initial: ChangeRuleSpec,
	profile: DeviceProfile,
	timeline: Timeline,
): ChangeRule {
	let spec = initial;
	let {index, field} = resolveNumberField(profile, spec.field);
	// Changes are rounded to the decimals the field shows, so float noise never decides.
	let scale = 10 ** field.decimals;
	// Decided once, not per reading: the settings' strings are a copy's, which compare by
	// content rather than by identity.
	let perSecond = spec.per === 'second';
	const tracker = createIncidentTracker(spec.type, 0, basisOf(spec, profile));
	const seen = emptyObservation();
	// The reading a change is measured from (undefined time: none, or forgotten at a
	// reconnect). Two numbers, not an object: a new one per reading was garbage per line.
	let previousTime: number | undefined;
	let previousValue = 0;
	// When the latest reconnect cut the readings short, for the next tick to end an open
	// change there; cleared by the next reading.
	let reconnectedAt: number | undefined;

	// When the silence since a reading grew too long for the next one to be compared with
	// it: the instant the heartbeat's own test (on any line) becomes true.
	const comparisonLapsesAt = (readingTime: number) =>
		Math.max(readingTime + timeline.gapMs, timeline.retunedAt);

	const observe = (time: number, value: number) => {
		if (previousTime === undefined || time - previousTime > timeline.gapMs) {
			return undefined;
		}

		const change = perSecond
			? Math.round(
					((value - previousValue) * 1000 * scale) / (time - previousTime),
				) / scale
			: Math.round((value - previousValue) * scale) / scale;
		return Math.abs(change) > spec.max
			? fill(seen, 'WARNING', spec.max, change, Math.abs(change))
			: undefined;
	};

	return {
		type: spec.type,
		get open() {
			return tracker.open;
		},
		// A change ends when no next comparison can involve its reading: at the next reading
		// (which continues or resolves it), at a reconnect, or when the silence after it
		// passes heartbeat_timeout_s, whichever comes first. Stamped with the instant, not the
		// tick that noticed, as the heartbeat is.
		tick() {
			if (!tracker.open) {
				return;
			}

			const endsAt =
				reconnectedAt ??
				(previousTime !== undefined &&
				timeline.latest > previousTime + timeline.gapMs
					? comparisonLapsesAt(previousTime)
					: undefined);
			if (endsAt !== undefined) {
				const change = tracker.end(endsAt);
				if (change) {
					timeline.emit(change.kind, change.incident, timeline.latest);
				}
			}
		},
		reading(time, line, reading) {
			const value = reading.values[index];
			if (typeof value !== 'number') {
				return;
			}

			// A rate needs time between the readings: a second reading at the same instant
			// is not compared, and the rate is measured from the first.
			if (perSecond && time === previousTime) {
				return;
			}

			const change = tracker.step(time, line, observe(time, value));
			if (change) {
				timeline.emit(change.kind, change.incident, time);
			}

			previousTime = time;
			previousValue = value;
			reconnectedAt = undefined;
		},
		reconnected(time) {
			if (previousTime !== undefined) {
				reconnectedAt = Math.min(time, comparisonLapsesAt(previousTime));
			}

			previousTime = undefined;
		},
		close(time) {
			const change = tracker.end(time);
			if (change) {
				timeline.emit(change.kind, change.incident, timeline.latest);
			}
		},
		retune(next, nextProfile) {
			spec = next;
			({index, field} = resolveNumberField(nextProfile, spec.field));
			scale = 10 ** field.decimals;
			perSecond = spec.per === 'second';
			tracker.retune(0, basisOf(spec, nextProfile));
		},
		save: () => ({
			tracker: tracker.save(),
			previous:
				previousTime === undefined
					? undefined
					: {time: previousTime, value: previousValue},
			reconnectedAt,
		}),
		load(state) {
			if (state.tracker) {
				tracker.load(state.tracker);
			}

			previousTime = state.previous?.time;
			previousValue = state.previous?.value ?? 0;
			reconnectedAt = state.reconnectedAt;
		},
	};
}

function basisOf(spec: ChangeRuleSpec, profile: DeviceProfile): IncidentBasis {
	return {
		rule: spec,
		field: numberMeta(resolveNumberField(profile, spec.field).field),
	};
}
