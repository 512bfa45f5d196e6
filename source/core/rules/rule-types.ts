// The incident types a detector's settings can fire, in report order, and the types of
// declared rules that do not name one.
import type {DeviceProfile} from '../device-profile.js';
import type {IncidentType} from '../incident.js';
import type {DetectorSettings, RuleSpec} from '../rule-spec.js';

/** What deriving a rule's type looks at: a rule as declared, its type optional. */
export type RuleDeclaration = {
	readonly kind: RuleSpec['kind'];
	readonly field: string;
	readonly per?: 'reading' | 'second';
	readonly type?: string | undefined;
};

export const deviceRuleTypes = ['HEARTBEAT_LOSS', 'PARSE_ERROR_RATE'] as const;

/**
 * The incident type of rules[index]: the one it names, else one derived from its kind and
 * field (`THRESHOLD_BREACH_<NAME>` for above, below and outside, `RAPID_CHANGE_<NAME>`,
 * `DEVICE_STATUS` and `STATUS_MISMATCH`, with `_<NAME>` where the device has several status
 * fields). Where a derived type would be another rule's too (named or derived) or a
 * device-wide one, the colliding derived ones take their kind's suffix (`_HIGH`, `_LOW`,
 * `_RANGE`, `_RATE` for a change per second), and any still equal a number in declared
 * order (`_2`, `_3`): the same declarations always give the same types.
 */
export function deriveRuleType(
	rules: readonly RuleDeclaration[],
	index: number,
	profile: DeviceProfile,
): IncidentType {
	return deriveRuleTypes(rules, profile)[index]!;
}

/** deriveRuleType of every rule, in their order. */
export function deriveRuleTypes(
	rules: readonly RuleDeclaration[],
	profile: DeviceProfile,
): IncidentType[] {
	const severalStatuses =
		profile.fields.filter(({type}) => type === 'status').length > 1;
	const bases = rules.map(
		(rule) => rule.type ?? baseType(rule, severalStatuses),
	);
	// A derived type collides with any other rule's type, named or derived, or a device-wide one.
	const collides = (type: string, index: number) =>
		(deviceRuleTypes as readonly string[]).includes(type) ||
		bases.some((other, at) => at !== index && other === type);
	const used = new Set<string>([
		...deviceRuleTypes,
		...rules.flatMap((rule) => (rule.type === undefined ? [] : [rule.type])),
	]);
	const final: string[] = [];
	for (const [index, rule] of rules.entries()) {
		if (rule.type !== undefined) {
			final.push(rule.type);
			continue;
		}

		const base = bases[index]!;
		const type = collides(base, index) ? base + kindSuffix(rule) : base;
		let candidate = type;
		for (let number = 2; used.has(candidate); number++) {
			candidate = `${type}_${number}`;
		}

		used.add(candidate);
		final.push(candidate);
	}

	return final;
}

function baseType(rule: RuleDeclaration, severalStatuses: boolean): string {
	const name = rule.field.toUpperCase();
	switch (rule.kind) {
		case 'above':
		case 'below':
		case 'outside': {
			return `THRESHOLD_BREACH_${name}`;
		}

		case 'change': {
			return `RAPID_CHANGE_${name}`;
		}

		case 'status': {
			return severalStatuses ? `DEVICE_STATUS_${name}` : 'DEVICE_STATUS';
		}

		case 'mismatch': {
			return severalStatuses ? `STATUS_MISMATCH_${name}` : 'STATUS_MISMATCH';
		}
	}
}

function kindSuffix(rule: RuleDeclaration): string {
	switch (rule.kind) {
		case 'above': {
			return '_HIGH';
		}

		case 'below': {
			return '_LOW';
		}

		case 'outside': {
			return '_RANGE';
		}

		case 'change': {
			return rule.per === 'second' ? '_RATE' : '';
		}

		case 'status':
		case 'mismatch': {
			return '';
		}
	}
}

/** Where a kind of rule ranks in the report, among rules that start at the same instant. */
const kindRank = {
	above: 0,
	below: 0,
	outside: 0,
	change: 1,
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
 * rules, HEARTBEAT_LOSS, status rules, mismatch rules, PARSE_ERROR_RATE, each kind in
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
