// failure: one finite run that forces every alarm the monitor has, in a known order.
import {deviceStatus, formatDeviceLine, round} from './device-line.js';
import {createPrng, noise} from './random.js';
import {lineStep, type EmulatorStep, type ScenarioOptions} from './step.js';

export function* failureScenario(
	options: ScenarioOptions,
): Generator<EmulatorStep> {
	const random = createPrng(options.seed);
	const {thresholds} = options;
	const status = (temperature: number, voltage: number) =>
		deviceStatus(temperature, voltage, thresholds, {
			over: 'VOLTAGE',
			under: 'VOLTAGE',
		}).status;
	const calm = function* (count: number): Generator<EmulatorStep> {
		for (let n = 0; n < count; n++) {
			const temperature = round(25 + noise(random) * 0.3, 1);
			const voltage = round(5 + noise(random) * 0.02, 2);
			yield lineStep(
				formatDeviceLine(temperature, voltage, status(temperature, voltage)),
			);
		}
	};

	const baseC = 25;
	const peakC = 95.5;
	const peakV = 6.1;

	// 1. Ten calm readings, then a burst of corrupted lines, one more than the parse-error
	// rate allows in a minute (11 with the defaults), cycling through the kinds of damage.
	yield* calm(10);
	const corrupted = [
		'T:25.1,V:5.0',
		'T:abc,V:5.0,S:NORMAL',
		'V:5.0,S:NORMAL',
		'T:25.1,V:,S:NORMAL',
	];
	const burst = Math.max(2, thresholds.parse_errors.max_per_min + 1);
	for (let index = 0; index < burst; index++) {
		yield lineStep(corrupted[index % corrupted.length]!, false);
	}

	// 2. Temperature ramps 25 -> 95.5 in steps kept under half of max_change_c (10 steps with
	// the defaults), so the climb raises temperature alarms but no rapid-change alarm.
	// The reading just before the peak (88.5 °C by default) is the status mismatch: the
	// device says NORMAL while the value is critical. It sits in the ramp rather than in the
	// calm section so that it does not also cause two rapid-change alarms.
	const rampSteps = Math.max(
		10,
		Math.ceil((peakC - baseC) / (thresholds.temperature.max_change_c / 2)),
	);
	for (let index = 1; index <= rampSteps; index++) {
		const temperature = round(baseC + ((peakC - baseC) * index) / rampSteps, 1);
		yield lineStep(
			formatDeviceLine(
				temperature,
				5,
				index === rampSteps - 1 ? 'NORMAL' : status(temperature, 5),
			),
		);
	}

	// 3. At the peak temperature, voltage climbs to 6.1.
	for (const voltage of [5.3, 5.6, 5.9, peakV]) {
		yield lineStep(formatDeviceLine(peakC, voltage, status(peakC, voltage)));
	}

	// 4. One step down by 70.5 °C (and voltage back to 5.0): a rapid-change alarm.
	yield lineStep(formatDeviceLine(baseC, 5, status(baseC, 5)));

	// 5. Silence well past the heartbeat timeout, then recovery.
	yield {kind: 'silence', ms: options.heartbeatTimeoutS * 1000 * 1.5 + 500};
	yield* calm(10);
}
