// normal: endless, clean and quiet; a baseline that must raise no alarm at all.
import {lowestTemperatureAlarm} from '../thresholds.js';
import {formatDeviceLine} from './device-line.js';
import {between, createPrng, noise} from './random.js';
import {lineStep, type EmulatorStep, type ScenarioOptions} from './step.js';

export function* normalScenario(
	options: ScenarioOptions,
): Generator<EmulatorStep> {
	const random = createPrng(options.seed);
	const {temperature: tl, voltage: vl} = options.thresholds;
	const ceilingC = lowestTemperatureAlarm(tl);
	// Invariants: temperature in [lowC, highC], strictly below every temperature alarm;
	// voltage in the middle 60% of its band; no step larger than maxStepC, which is at most
	// a quarter of max_change_c, so even with rounding to 0.01 a printed step stays under
	// half of it (for any max_change_c of 0.04 or more).
	const highC = Math.min(45, ceilingC - 2);
	const lowC = highC - 20;
	const maxStepC = Math.min(0.5, tl.max_change_c / 4);
	const nominalV = (vl.min_v + vl.max_v) / 2;
	const halfBandV = ((vl.max_v - vl.min_v) / 2) * 0.6;

	let temperature = between(random, lowC + 5, highC - 5);
	let voltage = nominalV;
	for (;;) {
		// Clamping only ever moves a value back toward where it was, so it keeps the step bound.
		temperature = Math.min(
			highC,
			Math.max(lowC, temperature + noise(random) * maxStepC),
		);
		voltage = Math.min(
			nominalV + halfBandV,
			Math.max(
				nominalV - halfBandV,
				voltage + (nominalV - voltage) * 0.1 + noise(random) * halfBandV * 0.1,
			),
		);
		yield lineStep(formatDeviceLine(temperature, voltage, 'NORMAL'));
	}
}
