// The T/V/S device in the profile's terms, for the views while the line pipeline and the
// config still speak of temperature, voltage and status: its profile and settings from the
// config, and its readings as values index-aligned with the profile's fields.
import {protocolLimits, type Config} from '../core/config.js';
import {builtinProfile, type Reading} from '../core/device-profile.js';
import {builtinRules, type DetectorSettings} from '../core/rule-spec.js';
import type {MetricsRow} from '../adapters/metrics-csv.js';

export function builtinSettings(config: Config): DetectorSettings {
	const limits = protocolLimits(config);
	return {
		profile: builtinProfile(limits),
		rules: builtinRules(config.thresholds),
		heartbeat_timeout_s: config.thresholds.heartbeat_timeout_s,
		parse_errors: {
			max_per_min: config.thresholds.parse_errors.max_per_min,
		},
	};
}

/** The built-in reading as the profile's values: temperature, voltage, status. */
export function genericRows(
	rows: readonly MetricsRow[],
): Array<{time: number; reading: Reading}> {
	return rows.map(({time, reading}) => ({
		time,
		reading: {
			values: [reading.temperature, reading.voltage, reading.status],
			level: reading.level,
		},
	}));
}
