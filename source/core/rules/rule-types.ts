// The incident types a detector's settings can fire, in report order, and the type a
// declared rule fires when it names none.
import type {IncidentType} from '../incident.js';
import type {DetectorSettings, RuleSpec} from '../rule-spec.js';

/** The types the detector fires whatever the rules: not for a rule to take. */
export const deviceRuleTypes = ['HEARTBEAT_LOSS', 'PARSE_ERROR_RATE'] as const;

/**
 * The incident type a rule fires when it names none: from its kind and its field's name
 * (`THRESHOLD_BREACH_HUMIDITY`). A field with a low and a high band gets two types: a
 * `below` band's ends in `_LOW`, as a per-second change's ends in `_PER_S`. Two rules that
 * would fire the same type are refused by the config, which names the fix (`type:`).
 */
export function ruleType(
	rule: Pick<RuleSpec, 'kind' | 'field'> & {per?: 'reading' | 'second'},
): IncidentType {
	const name = rule.field.toUpperCase();
	switch (rule.kind) {
		case 'above':
		case 'outside': {
			return `THRESHOLD_BREACH_${name}`;
		}

		case 'below': {
			return `THRESHOLD_BREACH_${name}_LOW`;
		}

		case 'change': {
			return rule.per === 'second'
				? `RAPID_CHANGE_${name}_PER_S`
				: `RAPID_CHANGE_${name}`;
		}

		case 'status': {
			return `DEVICE_STATUS_${name}`;
		}

		case 'mismatch': {
			return `STATUS_MISMATCH_${name}`;
		}

		case 'predict': {
			return `PREDICTED_BREACH_${name}`;
		}
	}
}

/** Where a kind of rule ranks in the report, among rules that start at the same instant. */
const kindRank = {
	above: 0,
	below: 0,
	outside: 0,
	change: 1,
	// After the breaches and changes of an instant, before the device-wide rules.
	predict: 1.5,
	heartbeat: 2,
	status: 3,
	mismatch: 4,
	parse_errors: 5,
} as const;

/** The rules of the settings, device-wide ones included, in report order. */
export type RankedRule =
	| RuleSpec
	| {readonly kind: 'heartbeat'; readonly type: 'HEARTBEAT_LOSS'}
	| {readonly kind: 'parse_errors'; readonly type: 'PARSE_ERROR_RATE'};

export function rulesInReportOrder(settings: DetectorSettings): RankedRule[] {
	const all: RankedRule[] = [
		...settings.rules,
		{kind: 'heartbeat', type: 'HEARTBEAT_LOSS'},
		{kind: 'parse_errors', type: 'PARSE_ERROR_RATE'},
	];
	// Stable: each kind keeps its declared order.
	return all.toSorted((a, b) => kindRank[a.kind] - kindRank[b.kind]);
}

/**
 * Every incident type the settings can fire, in report order: band and range rules, change
 * rules, predict rules, HEARTBEAT_LOSS, status rules, mismatch rules, PARSE_ERROR_RATE, each kind in
 * declared order. For the built-in settings this is the built-in order.
 */
export function incidentTypesOf(settings: DetectorSettings): IncidentType[] {
	return rulesInReportOrder(settings).map((rule) => rule.type);
}

/** The field a type's rule watches; undefined for the device-wide rules and unknown types. */
export function fieldOfType(
	settings: DetectorSettings,
	type: IncidentType,
): string | undefined {
	return settings.rules.find((rule) => rule.type === type)?.field;
}
