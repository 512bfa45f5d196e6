// The built-in device's detector settings from a thresholds object, as config.yaml's
// `thresholds` section gives them, and readings of the parser's T/V/S shape as field values.
import {defaultConfig} from '../../source/core/config.js';
import {
	builtinProfile,
	type Reading,
} from '../../source/core/device-profile.js';
import type {Thresholds} from '../../source/core/incident.js';
import {
	builtinRules,
	type DetectorSettings,
} from '../../source/core/rule-spec.js';
import {limits} from './limits.js';

export function builtinSettings(
	thresholds: Thresholds = defaultConfig.thresholds,
): DetectorSettings {
	return {
		profile: builtinProfile(limits),
		rules: builtinRules(thresholds),
		heartbeat_timeout_s: thresholds.heartbeat_timeout_s,
		parse_errors: {max_per_min: thresholds.parse_errors.max_per_min},
	};
}

type TvsReading = {
	temperature: number;
	voltage: number;
	status: string;
	level: Reading['level'];
};

/** A reading as the detector takes it: the T/V/S parser's, or one already of field values. */
export function asReading(reading: TvsReading | Reading): Reading {
	return 'values' in reading
		? reading
		: {
				values: [reading.temperature, reading.voltage, reading.status],
				level: reading.level,
			};
}
