// A status field says NORMAL while a band or range rule on any field has an open
// incident: the device's own sensing disagrees with its readings. Its value names the
// rules it disagrees with, in report order ("A", "A and B", "A, B and C"); more of them is
// worse. A reading without the status field's value leaves the rule as it was.
import type {DeviceProfile} from '../device-profile.js';
import {
	createIncidentTracker,
	type IncidentTracker,
} from '../incident-tracker.js';
import type {MismatchRuleSpec} from '../rule-spec.js';
import {emptyObservation, fill} from './rule-field.js';
import {createStatusReader, statusBasis} from './status.js';
import type {Rule, Timeline} from './rule.js';

export type MismatchRule = Rule & {
	retune(spec: MismatchRuleSpec, profile: DeviceProfile): void;
	/** The band and range rules it compares with, in report order. */
	watch(
		bands: ReadonlyArray<{
			readonly type: string;
			readonly tracker: IncidentTracker;
		}>,
	): void;
};

// Past this many bands the names are built per reading rather than cached by bit mask.
const maxCachedBands = 30;

export function createMismatchRule(
	initial: MismatchRuleSpec,
	profile: DeviceProfile,
	timeline: Timeline,
): MismatchRule {
	let spec = initial;
	let status = createStatusReader(profile, spec.field);
	const tracker = createIncidentTracker(
		spec.type,
		0,
		statusBasis(spec, status.field, status.several),
	);
	const seen = emptyObservation();
	// The bands' trackers, not the rules: one shape, so asking each whether it is open is cheap.
	let trackers: readonly IncidentTracker[] = [];
	let types: readonly string[] = [];
	// The names of each set of open bands, built once: a string per reading was garbage.
	const names = new Map<number, string>();

	const firingNames = (mask: number): string => {
		let text = mask < 2 ** maxCachedBands ? names.get(mask) : undefined;
		if (text === undefined) {
			// Asked only while the bands are as the mask says: their open ones are the ones.
			const firing = types.filter(
				(_, index) => trackers[index]!.open !== undefined,
			);
			text =
				firing.length < 2
					? firing.join('')
					: `${firing.slice(0, -1).join(', ')} and ${firing.at(-1)!}`;
			if (mask !== -1) {
				names.set(mask, text);
			}
		}

		return text;
	};

	return {
		type: spec.type,
		get open() {
			return tracker.open;
		},
		watch(bands) {
			trackers = bands.map(({tracker: bandTracker}) => bandTracker);
			types = bands.map(({type}) => type);
			names.clear();
		},
		reading(time, line, reading) {
			const text = status.text(reading);
			if (typeof text !== 'string') {
				return;
			}

			let count = 0;
			let mask = 0;
			let bit = 1;
			for (const bandTracker of trackers) {
				if (bandTracker.open !== undefined) {
					count++;
					mask += bit;
				}

				bit *= 2;
			}

			const change = tracker.step(
				time,
				line,
				count > 0 && status.level(reading, text) === 'NORMAL'
					? fill(
							seen,
							'WARNING',
							undefined,
							firingNames(trackers.length > maxCachedBands ? -1 : mask),
							count,
						)
					: undefined,
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
