// Where a value stands against the thresholds: the one comparison the detector, the
// emulated device and the dashboard's colours all make. A value alarms when it is strictly
// past its threshold. Hysteresis (clear margins) is not here: it depends on an incident
// being open, which only the detector knows.
import type {Thresholds} from './incident.js';

export type TemperatureThresholds = Thresholds['temperature'];
export type VoltageThresholds = Thresholds['voltage'];

export type ThresholdLevel = 'NORMAL' | 'WARNING' | 'CRITICAL';

/** A temperature's level, and the threshold it is past (none when NORMAL). */
export type TemperatureJudgement =
	{level: 'NORMAL'} | {level: 'WARNING' | 'CRITICAL'; threshold: number};

/** A voltage's level, the side of the range it left and the limit it is past. */
export type VoltageJudgement =
	| {level: 'NORMAL'}
	| {level: 'CRITICAL'; side: 'over' | 'under'; threshold: number};

/**
 * The warning threshold, if there is a warning band: warn_c set and below max_c. A warn_c
 * at or above max_c could never be reached before max_c is, so it is no band at all (the
 * config accepts it with a warning, so that lowering max_c alone is a valid edit).
 */
export function warningThreshold(
	temperature: TemperatureThresholds,
): number | undefined {
	const {warn_c: warn, max_c: max} = temperature;
	return warn !== null && warn < max ? warn : undefined;
}

/** The lowest temperature that alarms: warn_c if there is a warning band, else max_c. */
export function lowestTemperatureAlarm(
	temperature: TemperatureThresholds,
): number {
	return warningThreshold(temperature) ?? temperature.max_c;
}

export function judgeTemperature(
	value: number,
	temperature: TemperatureThresholds,
): TemperatureJudgement {
	const threshold = temperatureThresholdPast(value, temperature);
	if (threshold === undefined) {
		return {level: 'NORMAL'};
	}

	return {
		level: threshold === temperature.max_c ? 'CRITICAL' : 'WARNING',
		threshold,
	};
}

export function judgeVoltage(
	value: number,
	voltage: VoltageThresholds,
): VoltageJudgement {
	const threshold = voltageLimitPast(value, voltage);
	if (threshold === undefined) {
		return {level: 'NORMAL'};
	}

	return {
		level: 'CRITICAL',
		side: value > threshold ? 'over' : 'under',
		threshold,
	};
}

/**
 * judgeTemperature's threshold alone (undefined: NORMAL; max_c: CRITICAL, as a warning
 * band lies below it; else WARNING), without a result object: the detector asks for every
 * reading, and those objects were a fair share of a replay's garbage.
 */
export function temperatureThresholdPast(
	value: number,
	temperature: TemperatureThresholds,
): number | undefined {
	if (value > temperature.max_c) {
		return temperature.max_c;
	}

	const warn = warningThreshold(temperature);
	return warn !== undefined && value > warn ? warn : undefined;
}

/** judgeVoltage's limit alone (undefined: NORMAL), for the same reason. */
export function voltageLimitPast(
	value: number,
	voltage: VoltageThresholds,
): number | undefined {
	if (value > voltage.max_v) {
		return voltage.max_v;
	}

	return value < voltage.min_v ? voltage.min_v : undefined;
}
