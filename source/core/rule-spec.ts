// The detector's rules as data: what config.yaml's `rules:` declares (or the built-in
// thresholds imply), resolved against a profile. Each kind is judged by its own module.
import type {Severity} from './incident.js';
import type {DeviceProfile} from './device-profile.js';

type RuleBase = {
	/** The incident type it fires (`THRESHOLD_BREACH_HUMIDITY`): derived, or named by the rule. */
	readonly type: string;
	/** The field it watches, by name. */
	readonly field: string;
};

/**
 * A value past a level: `warn` fires a WARNING, `crit` a CRITICAL; either may be absent
 * (null). A `warn` not inside `crit` (at or above it for `above`, at or below it for
 * `below`) is no warning band: the built-in device's warn_c may be so.
 */
export type BandRuleSpec = RuleBase & {
	readonly kind: 'above' | 'below';
	readonly warn: number | null;
	readonly crit: number | null;
	/** Seconds the breach must last before it fires (0: at once). */
	readonly for_s: number;
	/** Hysteresis: it resolves only this far back inside its level. */
	readonly clear_margin: number;
};

/** A value outside [low, high], at one severity. */
export type OutsideRuleSpec = RuleBase & {
	readonly kind: 'outside';
	readonly low: number;
	readonly high: number;
	readonly severity: Severity;
	readonly for_s: number;
	readonly clear_margin: number;
};

/** A change larger than `max` between consecutive readings, or per second between them. */
export type ChangeRuleSpec = RuleBase & {
	readonly kind: 'change';
	readonly max: number;
	readonly per: 'reading' | 'second';
};

/** The device itself reports a level other than NORMAL on a status field. */
export type StatusRuleSpec = RuleBase & {readonly kind: 'status'};

/** A status field says NORMAL while a band rule on any field fires. */
export type MismatchRuleSpec = RuleBase & {readonly kind: 'mismatch'};

/**
 * The field's trend (a least-squares line through its readings of the last `window_s`, as
 * Prometheus's predict_linear) reaches a critical level within `horizon_s`. It aims at the
 * crit levels of the field's band rules: the lowest above it (`above`) and the highest below
 * it (`below`), null where there is none.
 */
export type PredictRuleSpec = RuleBase & {
	readonly kind: 'predict';
	readonly window_s: number;
	readonly horizon_s: number;
	/** Readings the window needs, spread over at least half of it, before a line is drawn. */
	readonly min_readings: number;
	readonly above: number | null;
	readonly below: number | null;
};

export type RuleSpec =
	| BandRuleSpec
	| OutsideRuleSpec
	| ChangeRuleSpec
	| StatusRuleSpec
	| MismatchRuleSpec
	| PredictRuleSpec;

/** Readings a predict rule needs in its window unless it says otherwise. */
export const defaultPredictReadings = 5;

/** Everything the detector judges by: the device, its rules, and the device-wide ones. */
export type DetectorSettings = {
	readonly profile: DeviceProfile;
	readonly rules: readonly RuleSpec[];
	/** HEARTBEAT_LOSS: no line at all for this long, once a first line came. */
	readonly heartbeat_timeout_s: number;
	/** PARSE_ERROR_RATE: more malformed lines than this within a minute. */
	readonly parse_errors: {readonly max_per_min: number};
};

/** config.yaml's `thresholds` section, which the built-in device's rules come from. */
export type BuiltinThresholds = {
	readonly temperature: {
		readonly max_c: number;
		readonly warn_c: number | null;
		readonly max_change_c: number;
		readonly for_s: number;
		readonly clear_margin_c: number;
		/** A predict rule on the temperature, aiming at max_c (absent: none). */
		readonly predict?: {
			readonly window_s: number;
			readonly horizon_s: number;
			readonly min_readings?: number;
		};
	};
	readonly voltage: {
		readonly min_v: number;
		readonly max_v: number;
		readonly for_s: number;
		readonly clear_margin_v: number;
	};
};

/**
 * The built-in device's rules, in report order, with the incident types and settings the
 * `thresholds` keys have always meant. A warn_c at or above max_c is no warning band.
 */
export function builtinRules(thresholds: BuiltinThresholds): RuleSpec[] {
	const {temperature, voltage} = thresholds;
	return [
		{
			kind: 'above',
			type: 'THRESHOLD_BREACH_TEMP',
			field: 'temperature',
			// As configured, even where it is no band: an edit of it retunes the rule, as always.
			warn: temperature.warn_c,
			crit: temperature.max_c,
			for_s: temperature.for_s,
			clear_margin: temperature.clear_margin_c,
		},
		{
			kind: 'outside',
			type: 'THRESHOLD_BREACH_VOLTAGE',
			field: 'voltage',
			low: voltage.min_v,
			high: voltage.max_v,
			severity: 'CRITICAL',
			for_s: voltage.for_s,
			clear_margin: voltage.clear_margin_v,
		},
		{
			kind: 'change',
			type: 'RAPID_CHANGE_TEMP',
			field: 'temperature',
			max: temperature.max_change_c,
			per: 'reading',
		},
		{kind: 'status', type: 'DEVICE_STATUS', field: 'status'},
		{kind: 'mismatch', type: 'STATUS_MISMATCH', field: 'status'},
		// Only when asked for: without it the built-in device's rules are what they always were.
		...(temperature.predict
			? [
					{
						kind: 'predict',
						type: 'PREDICTED_BREACH_TEMP',
						field: 'temperature',
						window_s: temperature.predict.window_s,
						horizon_s: temperature.predict.horizon_s,
						min_readings:
							temperature.predict.min_readings ?? defaultPredictReadings,
						above: temperature.max_c,
						below: null,
					} satisfies PredictRuleSpec,
				]
			: []),
	];
}
