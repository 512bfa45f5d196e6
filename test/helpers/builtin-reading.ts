// Readings of the built-in T/V/S device as the profile's values, for tests that build them.
import {
	builtinProfile,
	type DeviceProfile,
	type Reading,
} from '../../source/core/device-profile.js';
import type {StatusLevel} from '../../source/core/protocol.js';

/** The built-in device with config.yaml's default ranges. */
export const builtin: DeviceProfile = builtinProfile({
	temperatureRangeC: [-50, 150],
	voltageRangeV: [0, 30],
});

export function builtinReading(reading: {
	temperature: number;
	voltage: number;
	status: string;
	level: StatusLevel;
}): Reading {
	return {
		values: [reading.temperature, reading.voltage, reading.status],
		level: reading.level,
	};
}
