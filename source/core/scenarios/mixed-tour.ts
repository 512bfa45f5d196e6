// The opening tour of mixed, for --demo: left to chance, seed 42 stays NORMAL for its first
// ~35 s, so the demo device first plays a script in which, within a minute, every incident
// the detector knows fires and resolves again. Everything is derived from the thresholds
// (so it works with the user's config) and timed in seconds at the rate the steps are
// played at (so it fits a minute at any usual rate).
import {lowestTemperatureAlarm, warningThreshold} from '../thresholds.js';
import {corrupt} from './corrupt.js';
import {
	avoidBoundaries,
	deviceStatus,
	formatDeviceLine,
} from './device-line.js';
import {noise, type Random} from './random.js';
import {lineStep, type EmulatorStep, type ScenarioOptions} from './step.js';

/** Where the tour leaves the device, for the endless run that follows it. */
export type DeviceValues = {temperature: number; voltage: number};

// A rate of 0 (as fast as the port takes them) has no seconds; count them as the demo's default.
const defaultRateHz = 10;
// How far below the lowest temperature alarm (and its hysteresis) the calm stretches sit.
const calmBelowC = 20;
// How far above max_c the critical breach peaks.
const criticalAboveC = 8;

/**
 * The script, in seconds at 10 Hz with the default thresholds (in brackets: when the
 * incident fires and resolves, as the test measures it):
 * - 0 calm;
 * - 3 a burst of max_per_min + 5 damaged lines: PARSE_ERROR_RATE [4 - 63.4]; first, because
 *   the rate falls back only a minute after the burst;
 * - 7.5 a drop of 1.5 × max_change_c, far from any limit, eased back: RAPID_CHANGE_TEMP [7.5 - 7.6];
 * - 13.6 a climb to between warn_c and max_c, a hold and back: THRESHOLD_BREACH_TEMP WARNING
 *   [15.7 - 20.4], resolved before the next climb so that it stays an incident of its own;
 * - 25.6 a climb past max_c, a hold, a cool-down: THRESHOLD_BREACH_TEMP CRITICAL [27.1 - 34];
 * - 39.6 voltage above max_v, a hold and back: THRESHOLD_BREACH_VOLTAGE [40.2 - 43.9];
 * - 47.6 the device says OFFLINE_LINK for a second, then is silent for 1.6 × heartbeat_timeout_s:
 *   HEARTBEAT_LOSS [53.5 - 56.5], and the endless run takes over.
 * Alarm statuses also open DEVICE_STATUS incidents alongside. Holds last for_s + 3 s, so
 * every breach outlasts its `for`; without a warning band there is no warning episode. Moves are
 * slowed down where a step would come near max_change_c, so at a low rate (a line a second)
 * or with a small max_change_c the tour takes longer than a minute.
 */
export function* mixedTour(
	options: ScenarioOptions,
	random: Random,
): Generator<EmulatorStep, DeviceValues> {
	const {thresholds} = options;
	const {temperature: tl, voltage: vl} = thresholds;
	const rateHz =
		options.rateHz === undefined || options.rateHz === 0
			? defaultRateHz
			: options.rateHz;
	const lines = (seconds: number) => Math.max(1, Math.round(seconds * rateHz));

	const lowestC = lowestTemperatureAlarm(tl);
	const calmC = lowestC - tl.clear_margin_c - calmBelowC;
	const nominalV = (vl.min_v + vl.max_v) / 2;
	const halfBandV = (vl.max_v - vl.min_v) / 2;
	// Invariant: outside the one planned jump, consecutive temperatures differ by at most a
	// third of max_change_c (plus 0.02 from printing and avoidBoundaries), so there is no
	// unplanned rapid change for any max_change_c of 0.04 or more.
	const maxStepC = tl.max_change_c / 3;
	const calmSpreadC = Math.min(0.3, maxStepC / 2);
	const calmSpreadV = halfBandV * 0.04;
	const temperatureBoundaries = [tl.max_c, lowestC];
	const voltageBoundaries = [vl.min_v, vl.max_v];

	let temperature = calmC;
	let voltage = nominalV;
	let status = 'NORMAL';

	// The device clears an alarm only where the detector resolves it, clear_margin inside the
	// threshold: a NORMAL while the incident is still open would be a STATUS_MISMATCH.
	const lingering = () =>
		temperature > lowestC - tl.clear_margin_c ||
		voltage > vl.max_v - vl.clear_margin_v ||
		voltage < vl.min_v + vl.clear_margin_v;

	const line = (deviceSays?: string): string => {
		temperature = avoidBoundaries(temperature, temperatureBoundaries);
		voltage = avoidBoundaries(voltage, voltageBoundaries);
		const current =
			deviceSays ?? deviceStatus(temperature, voltage, thresholds).status;
		if (current !== 'NORMAL' || status === 'NORMAL' || !lingering()) {
			status = current;
		}

		return formatDeviceLine(temperature, voltage, status);
	};

	const reading = (deviceSays?: string) => lineStep(line(deviceSays));

	// Noise around a centre, never cumulative: two readings differ by at most twice the spread.
	const jitter = (
		centreC: number,
		centreV: number,
		spreadC: number,
		spreadV: number,
	) => {
		temperature = centreC + noise(random) * spreadC;
		voltage = centreV + noise(random) * spreadV;
	};

	function* hold(
		seconds: number,
		centreC: number,
		centreV: number,
		spreadC = calmSpreadC,
	): Generator<EmulatorStep> {
		for (let n = lines(seconds); n > 0; n--) {
			jitter(centreC, centreV, spreadC, calmSpreadV);
			yield reading();
		}
	}

	const calm = (seconds: number) => hold(seconds, calmC, nominalV);

	/** An eased move to the targets; slower than `seconds` if a step would exceed maxStepC. */
	function* move(
		seconds: number,
		toC: number,
		toV = nominalV,
	): Generator<EmulatorStep> {
		const [fromC, fromV] = [temperature, voltage];
		// Smoothstep's steepest step is 1.5 times the average one.
		const count = Math.max(
			lines(seconds),
			Math.ceil((1.5 * Math.abs(toC - fromC)) / maxStepC),
		);
		for (let index = 1; index <= count; index++) {
			const fraction = index / count;
			const eased = fraction * fraction * (3 - 2 * fraction);
			temperature = fromC + (toC - fromC) * eased;
			voltage = fromV + (toV - fromV) * eased;
			yield reading();
		}
	}

	yield* calm(3);
	for (let n = thresholds.parse_errors.max_per_min + 5; n > 0; n--) {
		jitter(calmC, nominalV, calmSpreadC, calmSpreadV);
		yield corrupt(line(), random);
	}

	yield* calm(3);
	temperature -= tl.max_change_c * 1.5;
	yield reading();
	yield* move(3, calmC);

	const warnC = warningThreshold(tl);
	if (warnC !== undefined) {
		const warningC = (warnC + tl.max_c) / 2;
		yield* calm(3);
		yield* move(3, warningC);
		yield* hold(
			tl.for_s + 3,
			warningC,
			nominalV,
			Math.min(calmSpreadC, (tl.max_c - warnC) / 5),
		);
		yield* move(3, calmC);
	}

	const criticalC = tl.max_c + criticalAboveC;
	yield* calm(3);
	yield* move(3, criticalC);
	yield* hold(tl.for_s + 3, criticalC, nominalV);
	yield* move(5, calmC);

	const overV = vl.max_v + halfBandV * 0.3;
	yield* calm(3);
	yield* move(1, calmC, overV);
	yield* hold(vl.for_s + 3, calmC, overV);
	yield* move(1, calmC, nominalV);

	yield* calm(3);
	for (let n = lines(1); n > 0; n--) {
		yield reading('OFFLINE_LINK');
	}

	yield {
		kind: 'silence',
		ms: Math.round(options.heartbeatTimeoutS * 1000 * 1.6),
	};
	return {temperature, voltage};
}
