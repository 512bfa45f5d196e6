// How the device prints a reading, and the status it reports for one; every scenario
// prints through these, so all of them look like the same device.
import type {Config} from '../config.js';
import {
	judgeTemperature,
	judgeVoltage,
	type ThresholdLevel,
} from '../thresholds.js';

/** Temperatures with 1 or 2 decimals (25.0, 25.1, 25.13), voltages with 2, as the device prints them. */
export function formatDeviceLine(
	temperature: number,
	voltage: number,
	status: string,
): string {
	const t = temperature.toFixed(2).replace(/(\.\d)0$/v, '$1');
	return `T:${t},V:${voltage.toFixed(2)},S:${status}`;
}

export type VoltageReasons = {over: string; under: string};
const overUnderVolt: VoltageReasons = {over: 'OVERVOLT', under: 'UNDERVOLT'};

/**
 * The status a healthy device reports for these values, by the detector's own comparisons
 * (an alarm is a value strictly past its threshold; voltage first). Values are also nudged off exact boundaries (see
 * avoidBoundaries), so a detector comparing with >= would agree too.
 */
export function deviceStatus(
	temperature: number,
	voltage: number,
	thresholds: Config['thresholds'],
	voltageReason: VoltageReasons = overUnderVolt,
): {level: ThresholdLevel; status: string} {
	const volts = judgeVoltage(voltage, thresholds.voltage);
	if (volts.level === 'CRITICAL') {
		return {level: 'CRITICAL', status: `CRITICAL_${voltageReason[volts.side]}`};
	}

	const degrees = judgeTemperature(temperature, thresholds.temperature);
	return {
		level: degrees.level,
		status: degrees.level === 'NORMAL' ? 'NORMAL' : `${degrees.level}_TEMP`,
	};
}

export function round(value: number, decimals: number): number {
	const factor = 10 ** decimals;
	return Math.round(value * factor) / factor;
}

/** Rounded to what is printed, and moved 0.01 off any threshold it lands on exactly. */
export function avoidBoundaries(
	value: number,
	boundaries: readonly number[],
): number {
	const printed = round(value, 2);
	return boundaries.includes(printed) ? round(printed + 0.01, 2) : printed;
}
