// A predicted breach: the least-squares line through a field's readings of the last
// window_s (as Prometheus's predict_linear, valued at the latest reading) reaches one of the
// field's crit levels within horizon_s. It needs min_readings readings spread over at least
// half the window, so that a few noisy readings draw no line; it fires a WARNING at the
// first reading where the line reaches the level within the horizon, with the time to the
// crossing (its ETA) as its value and the shortest ETA as its peak. It worsens each time
// the ETA falls to half the one last announced (at the fire or the previous worsening),
// while the one announced is a minute or more, so a closing trend is told a few times, not
// at every reading. It resolves at the first reading where the line no longer reaches the
// level within 1.2 times the horizon (hysteresis: a noisy trend near the horizon would fire
// and resolve by turns), or where the reading is past the level (the breach's own rule
// takes over). After a crossing it fires again only once a reading's line has not reached
// the level within the horizon: a value wavering about the level would otherwise fire it
// at each dip back inside. Readings are one stretch only within heartbeat_timeout_s of each other and
// with no reconnect between them: a longer silence or a reconnect empties the window and
// resolves an open prediction there. A reading without the field's value changes nothing.
import type {DeviceProfile} from '../device-profile.js';
import type {Incident, IncidentBasis, Trend} from '../incident.js';
import type {Prediction} from '../prediction.js';
import type {PredictRuleSpec} from '../rule-spec.js';
import {numberMeta, resolveNumberField} from './rule-field.js';
import type {Rule, Timeline} from './rule.js';
import {createTrendWindow} from './trend-window.js';

/** ETAs announced below this are not worsened again: the crossing is then imminent. */
const lastWorseningS = 60;
/** An open prediction holds while the crossing is within this many horizons. */
const holdWithin = 1.2;

export type PredictRule = Rule & {
	/** The prediction that holds, while the incident is open. */
	readonly prediction: Prediction | undefined;
	retune(spec: PredictRuleSpec, profile: DeviceProfile): void;
};

/** Where the line through the readings reaches a level within the horizon, at `time`. */
export function trendAt(
	spec: PredictRuleSpec,
	line: {fitted: number; slope: number; count: number; spanS: number},
	value: number,
	horizonS: number = spec.horizon_s,
): Trend | undefined {
	if (line.count < spec.min_readings || line.spanS < spec.window_s / 2) {
		return undefined;
	}

	const {slope, fitted} = line;
	const target =
		slope > 0 ? spec.above : slope < 0 ? spec.below : (null as number | null);
	if (target === null) {
		return undefined;
	}

	// The line may be past the level already while the reading is not: the crossing is now.
	const etaS = Math.max(0, (target - fitted) / slope);
	return etaS <= horizonS ? {value, ratePerS: slope, target, etaS} : undefined;
}

export function createPredictRule(
	initial: PredictRuleSpec,
	profile: DeviceProfile,
	timeline: Timeline,
): PredictRule {
	let spec = initial;
	let {index} = resolveNumberField(profile, spec.field);
	let basis = basisOf(spec, profile);
	const window = createTrendWindow();
	let open: Incident | undefined;
	// The ETA last announced (fired or worsened), in seconds.
	let announced = 0;
	let prediction: Prediction | undefined;
	// The latest reading of the field in the current stretch (undefined: none yet).
	let lastTime: number | undefined;
	// When the latest reconnect cut the stretch short, for the next tick to resolve there.
	let reconnectedAt: number | undefined;
	// A reading was past the level, and no line since has stayed short of it.
	let crossedLately = false;

	const resolve = (time: number, seenAt: number) => {
		if (open) {
			open.end = time;
			timeline.emit('resolved', open, seenAt);
			open = undefined;
			prediction = undefined;
		}
	};

	const crossed = (value: number) =>
		(spec.above !== null && value > spec.above) ||
		(spec.below !== null && value < spec.below);

	return {
		type: spec.type,
		get open() {
			return open;
		},
		get prediction() {
			return prediction;
		},
		tick() {
			const lapsesAt =
				lastTime !== undefined && timeline.latest > lastTime + timeline.gapMs
					? Math.max(lastTime + timeline.gapMs, timeline.retunedAt)
					: undefined;
			const endsAt = reconnectedAt ?? lapsesAt;
			if (endsAt !== undefined) {
				window.clear();
				lastTime = undefined;
				reconnectedAt = undefined;
				crossedLately = false;
				resolve(endsAt, timeline.latest);
			}
		},
		reading(time, line, reading) {
			const value = reading.values[index];
			if (typeof value !== 'number') {
				return;
			}

			if (lastTime !== undefined && time - lastTime > timeline.gapMs) {
				window.clear();
				crossedLately = false;
			}

			lastTime = time;
			window.add(time, value, spec.window_s * 1000);
			window.prune(time, spec.window_s * 1000);
			const fit = window.line(time);
			const past = crossed(value);
			const trend =
				fit === undefined || past
					? undefined
					: trendAt(
							spec,
							fit,
							value,
							open ? spec.horizon_s * holdWithin : spec.horizon_s,
						);
			crossedLately = past || (crossedLately && trend !== undefined);
			if (trend === undefined || crossedLately) {
				resolve(time, time);
				return;
			}

			trend.etaS = Math.round(trend.etaS * 10) / 10;
			prediction = {
				field: spec.field,
				type: spec.type,
				target: trend.target,
				direction: trend.ratePerS > 0 ? 'rising' : 'falling',
				crossingAt: time + trend.etaS * 1000,
				ratePerS: trend.ratePerS,
			};
			if (!open) {
				open = {
					type: spec.type,
					severity: 'WARNING',
					start: time,
					end: undefined,
					value: trend.etaS,
					peak: trend.etaS,
					threshold: trend.target,
					readings: 1,
					firstLine: line,
					lastLine: line,
					basis,
					trend,
				};
				announced = trend.etaS;
				timeline.emit('fired', open, time);
				return;
			}

			open.readings++;
			open.lastLine = line;
			if (trend.etaS < Number(open.peak)) {
				open.peak = trend.etaS;
				open.trend = trend;
			}

			if (announced >= lastWorseningS && trend.etaS <= announced / 2) {
				announced = trend.etaS;
				timeline.emit('worsened', open, time);
			}
		},
		reconnected(time) {
			if (lastTime !== undefined) {
				reconnectedAt = Math.min(
					time,
					Math.max(lastTime + timeline.gapMs, timeline.retunedAt),
				);
			}

			window.clear();
			lastTime = undefined;
			crossedLately = false;
		},
		close(time) {
			resolve(time, timeline.latest);
		},
		retune(next, nextProfile) {
			spec = next;
			index = resolveNumberField(nextProfile, spec.field).index;
			basis = basisOf(spec, nextProfile);
		},
		save: () => ({
			open,
			window: window.save(),
			announced,
			prediction,
			previous: lastTime === undefined ? undefined : {time: lastTime, value: 0},
			reconnectedAt,
			crossedLately,
		}),
		load(state) {
			open = state.open;
			window.load(state.window ?? {times: [], values: []});
			announced = state.announced ?? 0;
			prediction = state.prediction;
			lastTime = state.previous?.time;
			reconnectedAt = state.reconnectedAt;
			crossedLately = state.crossedLately ?? false;
		},
	};
}

function basisOf(spec: PredictRuleSpec, profile: DeviceProfile): IncidentBasis {
	return {
		rule: spec,
		field: numberMeta(resolveNumberField(profile, spec.field).field),
	};
}
