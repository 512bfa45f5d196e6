// mixed: an endless, realistic run that passes through every kind of trouble, with about
// 1% of lines damaged the way a flaky link damages them.
import {lowestTemperatureAlarm, warningThreshold} from '../thresholds.js';
import {corrupt} from './corrupt.js';
import {
	avoidBoundaries,
	deviceStatus,
	formatDeviceLine,
} from './device-line.js';
import {
	between,
	createPrng,
	integerBetween,
	noise,
	pick,
	type Random,
} from './random.js';
import {lineStep, type EmulatorStep, type ScenarioOptions} from './step.js';
import {mixedTour} from './mixed-tour.js';

const corruptionRate = 0.01;

type Phase =
	| 'normal'
	| 'warning'
	| 'critical-temperature'
	| 'critical-voltage'
	| 'offline'
	| 'swing';

// What follows a normal stretch; weights sum to 1.
const events: ReadonlyArray<[Exclude<Phase, 'normal'>, number]> = [
	['warning', 0.3],
	['critical-temperature', 0.2],
	['critical-voltage', 0.2],
	['offline', 0.15],
	['swing', 0.15],
];

export function* mixedScenario(
	options: ScenarioOptions,
): Generator<EmulatorStep> {
	const random = createPrng(options.seed);
	const {thresholds} = options;
	const {temperature: tl, voltage: vl} = thresholds;
	const warnC = warningThreshold(tl) ?? tl.max_c - 10;
	const nominalV = (vl.min_v + vl.max_v) / 2;
	const halfBandV = (vl.max_v - vl.min_v) / 2;
	const temperatureBoundaries = [tl.max_c, lowestTemperatureAlarm(tl)];
	const voltageBoundaries = [vl.min_v, vl.max_v];

	let temperature = between(random, 25, 35);
	let voltage = nominalV;
	if (options.tour) {
		({temperature, voltage} = yield* mixedTour(options, random));
	}

	const reading = (status?: string): EmulatorStep => {
		temperature = avoidBoundaries(temperature, temperatureBoundaries);
		voltage = avoidBoundaries(Math.max(0, voltage), voltageBoundaries);
		const text = formatDeviceLine(
			temperature,
			voltage,
			status ?? deviceStatus(temperature, voltage, thresholds).status,
		);
		return random() < corruptionRate ? corrupt(text, random) : lineStep(text);
	};

	// Temperature eases toward a target with a little noise; voltage hovers near nominal.
	const drift = (targetC: number, pull: number, targetV = nominalV) => {
		temperature += (targetC - temperature) * pull + noise(random) * 0.3;
		voltage +=
			(targetV - voltage) * (targetV === nominalV ? 0.2 : 0.3) +
			noise(random) * halfBandV * 0.04;
	};

	for (;;) {
		// A normal stretch around a baseline between 25 and 60 °C, kept clear of warnings.
		const baseline = Math.min(between(random, 25, 60), warnC - 5);
		// Limits apply once a value is back inside them, so leaving a critical phase is a
		// gradual cool-down rather than a jump (which would be an unplanned rapid change).
		const highC = warnC - 1;
		const [lowV, highV] = [
			vl.min_v + halfBandV * 0.2,
			vl.max_v - halfBandV * 0.2,
		];
		for (let n = integerBetween(random, 100, 400); n > 0; n--) {
			const [wasC, wasV] = [temperature, voltage];
			drift(baseline, 0.03);
			if (wasC <= highC) {
				temperature = Math.min(temperature, highC);
			}

			if (wasV >= lowV && wasV <= highV) {
				voltage = Math.min(Math.max(voltage, lowV), highV);
			}

			yield reading();
		}

		yield* mixedEvent(pickEvent(random));
	}

	function* mixedEvent(
		phase: Exclude<Phase, 'normal'>,
	): Generator<EmulatorStep> {
		switch (phase) {
			case 'warning': {
				const target = between(
					random,
					warnC + 1,
					Math.max(warnC + 1, tl.max_c - 1),
				);
				for (let n = integerBetween(random, 30, 120); n > 0; n--) {
					drift(target, 0.1);
					temperature = Math.min(temperature, tl.max_c - 0.5);
					yield reading();
				}

				break;
			}

			case 'critical-temperature': {
				const target = tl.max_c + between(random, 3, 15);
				for (let n = integerBetween(random, 20, 80); n > 0; n--) {
					drift(target, 0.12);
					yield reading();
				}

				break;
			}

			case 'critical-voltage': {
				const target =
					random() < 0.5
						? vl.max_v + between(random, 0.1, 0.6)
						: vl.min_v - between(random, 0.1, 0.5);
				for (let n = integerBetween(random, 10, 50); n > 0; n--) {
					drift(temperature, 0, target);
					yield reading();
				}

				break;
			}

			case 'offline': {
				// The device still talks but its sensor is gone; then, half the time, it goes
				// quiet for longer than the heartbeat timeout.
				const reason = pick(random, ['SENSOR', 'ADC', 'LINK'] as const);
				for (let n = integerBetween(random, 3, 8); n > 0; n--) {
					yield reading(`OFFLINE_${reason}`);
				}

				if (random() < 0.5) {
					yield {
						kind: 'silence',
						ms: Math.round(
							options.heartbeatTimeoutS * 1000 * between(random, 1.2, 2.2),
						),
					};
				}

				break;
			}

			case 'swing': {
				// One step of more than max_change_c, then the normal stretch pulls it back.
				const size = tl.max_change_c + between(random, 1, 15);
				temperature += temperature - size < 0 || random() < 0.5 ? size : -size;
				yield reading();
				break;
			}
		}
	}
}

function pickEvent(random: Random): Exclude<Phase, 'normal'> {
	let roll = random();
	for (const [phase, weight] of events) {
		roll -= weight;
		if (roll < 0) {
			return phase;
		}
	}

	return events.at(-1)![0];
}
