// config.yaml's `rules:` section: one rule per item, each on one field of the device,
// its schema, the checks that need the device (the field exists and has the rule's type,
// the bands are in order, no two rules fire the same incident type) and the RuleSpecs.
import {z} from 'zod';
import {closestMatch} from './closest-match.js';
import {maxProblemsShown} from './input-error.js';
import type {DeclarationIssue} from './device-config.js';
import type {DeviceProfile, Field} from './device-profile.js';
import {defaultPredictReadings, type RuleSpec} from './rule-spec.js';
import {deviceRuleTypes, ruleType} from './rules/rule-types.js';

const nonNegative = z.number().nonnegative();
const band = z
	.object({
		warn: z.number().nullable().optional(),
		crit: z.number().nullable().optional(),
	})
	.strict();

const ruleSchema = z
	.object({
		field: z.string().min(1).max(64),
		/** The incident type it fires (default: derived from the kind and the field). */
		type: z
			.string()
			.max(100)
			.regex(
				/^[A-Z][A-Z\d_]*$/,
				'upper-case letters, digits and _, starting with a letter',
			)
			.optional(),
		above: band.optional(),
		below: band.optional(),
		outside: z.tuple([z.number(), z.number()]).optional(),
		severity: z.enum(['WARNING', 'CRITICAL']).optional(),
		change: z
			.object({
				max: z.number().positive().optional(),
				max_per_s: z.number().positive().optional(),
			})
			.strict()
			.optional(),
		predict: z
			.object({
				window_s: z.number().positive().max(86_400),
				horizon_s: z.number().positive().max(604_800),
				min_readings: z.number().int().min(2).max(100_000).optional(),
			})
			.strict()
			.optional(),
		status: z.literal(true).optional(),
		mismatch: z.literal(true).optional(),
		for_s: nonNegative.optional(),
		clear_margin: nonNegative.optional(),
	})
	.strict();

export type RuleConfig = z.infer<typeof ruleSchema>;

export const rulesSection = z.array(ruleSchema).max(200);

const kinds = [
	'above',
	'below',
	'outside',
	'change',
	'predict',
	'status',
	'mismatch',
] as const;
type Kind = (typeof kinds)[number];
const numberKinds = new Set<Kind>([
	'above',
	'below',
	'outside',
	'change',
	'predict',
]);
const bandKinds = new Set<Kind>(['above', 'below', 'outside']);

function kindsOf(rule: RuleConfig): Kind[] {
	return kinds.filter((kind) => rule[kind] !== undefined);
}

/** The specs of valid rules, in the order declared. */
export function resolveRules(rules: readonly RuleConfig[]): RuleSpec[] {
	return rules.map((rule) => resolveRule(rule, rules));
}

/**
 * The crit levels a predict rule on `field` aims at: the lowest of the field's upper ones
 * (above.crit, a CRITICAL outside rule's high end) and the highest of its lower ones.
 */
export function critLevels(
	rules: readonly RuleConfig[],
	field: string,
): {above: number | null; below: number | null} {
	const upper: number[] = [];
	const lower: number[] = [];
	for (const rule of rules) {
		if (rule.field !== field) {
			continue;
		}

		if (typeof rule.above?.crit === 'number') {
			upper.push(rule.above.crit);
		}

		if (typeof rule.below?.crit === 'number') {
			lower.push(rule.below.crit);
		}

		if (rule.outside && (rule.severity ?? 'CRITICAL') === 'CRITICAL') {
			lower.push(rule.outside[0]);
			upper.push(rule.outside[1]);
		}
	}

	return {
		above: upper.length === 0 ? null : Math.min(...upper),
		below: lower.length === 0 ? null : Math.max(...lower),
	};
}

function changeSpecOf(rule: RuleConfig) {
	const perSecond = rule.change?.max_per_s;
	return {
		kind: 'change' as const,
		field: rule.field,
		max: perSecond ?? rule.change?.max ?? 0,
		per: perSecond === undefined ? ('reading' as const) : ('second' as const),
	};
}

function predictSpecOf(rule: RuleConfig, rules: readonly RuleConfig[]) {
	const {window_s, horizon_s, min_readings} = rule.predict ?? {
		window_s: 1,
		horizon_s: 1,
	};
	return {
		kind: 'predict' as const,
		field: rule.field,
		window_s,
		horizon_s,
		min_readings: min_readings ?? defaultPredictReadings,
		...critLevels(rules, rule.field),
	};
}

function resolveRule(
	rule: RuleConfig,
	rules: readonly RuleConfig[] = [],
): RuleSpec {
	const [kind = 'status'] = kindsOf(rule);
	const {field} = rule;
	const timing = {for_s: rule.for_s ?? 0, clear_margin: rule.clear_margin ?? 0};
	const typed = <Spec extends Omit<RuleSpec, 'type'>>(spec: Spec) => ({
		...spec,
		type: rule.type ?? ruleType(spec),
	});
	switch (kind) {
		case 'above':
		case 'below': {
			const levels = rule[kind] ?? {};
			return typed({
				kind,
				field,
				warn: levels.warn ?? null,
				crit: levels.crit ?? null,
				...timing,
			});
		}

		case 'outside': {
			const [low, high] = rule.outside ?? [0, 0];
			return typed({
				kind,
				field,
				low,
				high,
				severity: rule.severity ?? 'CRITICAL',
				...timing,
			});
		}

		case 'change': {
			return typed(changeSpecOf(rule));
		}

		case 'predict': {
			return typed(predictSpecOf(rule, rules));
		}

		case 'status':
		case 'mismatch': {
			return typed({kind, field});
		}
	}
}

/**
 * closestMatch among the candidates whose length could be near enough: an edit distance is
 * at least the difference of the lengths, so the others need not be measured.
 */
export function nearestName(
	input: string,
	candidates: Iterable<string>,
): string | undefined {
	const allowed = Math.max(1, Math.floor(input.length / 3));
	return closestMatch(
		input,
		[...candidates].filter(
			(candidate) => Math.abs(candidate.length - input.length) <= allowed,
		),
	);
}

/** What is wrong with the rules for this device, each at its key. */
export function rulesIssues(
	rules: readonly RuleConfig[],
	profile: DeviceProfile,
): DeclarationIssue[] {
	const issues: DeclarationIssue[] = [];
	const fields = new Map(profile.fields.map((field) => [field.name, field]));
	const types = new Map<string, number>();
	const names = [...fields.keys()].join(', ');
	let unknownFields = 0;
	// A mismatch rule fires only while a band rule does: without one it could never fire.
	const hasBand = rules.some((rule) =>
		kindsOf(rule).some((kind) => bandKinds.has(kind)),
	);
	for (const [index, rule] of rules.entries()) {
		const at = (path: Array<string | number>, message: string) => {
			issues.push({path: ['rules', index, ...path], message});
		};

		const found = kindsOf(rule);
		const [kind] = found;
		if (kind === undefined || found.length > 1) {
			at(
				found.length > 1 ? [found[1]!] : [],
				`a rule takes one of ${kinds.join(', ')}${found.length > 1 ? ` (this one has ${found.join(' and ')}: one rule each)` : ''}`,
			);
			continue;
		}

		const field = fields.get(rule.field);
		if (field === undefined) {
			// The nearest name only where it is shown.
			const near =
				++unknownFields <= maxProblemsShown
					? nearestName(rule.field, fields.keys())
					: undefined;
			at(
				['field'],
				`no field ${JSON.stringify(rule.field)}${near ? ` (did you mean ${JSON.stringify(near)}?)` : ''}; the device's fields: ${names}`,
			);
		} else {
			const problem = fieldTypeIssue(kind, field);
			if (problem !== undefined) {
				at([kind], problem);
			} else if (kind === 'mismatch' && !hasBand) {
				at(
					[kind],
					'compares the status with the band rules (above, below, outside), and there is none: add one, or remove this rule',
				);
			} else if (kind === 'predict') {
				const {above, below} = critLevels(rules, rule.field);
				if (above === null && below === null) {
					at(
						[kind],
						`aims at the field's critical level, and ${rule.field} has none: add a rule on it with above: {crit: ...}, below: {crit: ...} or outside: [low, high] (severity CRITICAL)`,
					);
				}
			}
		}

		for (const issue of kindIssues(rule, kind)) {
			at(issue.path, issue.message);
		}

		const spec = resolveRule(rule, rules);
		const earlier = types.get(spec.type);
		const typePath = rule.type === undefined ? [kind] : ['type'];
		if ((deviceRuleTypes as readonly string[]).includes(spec.type)) {
			at(typePath, `${spec.type} is the detector's own incident type`);
		} else if (earlier === undefined) {
			types.set(spec.type, index);
		} else {
			at(
				typePath,
				`fires ${spec.type}, as rules[${earlier}] does: give one of them its own type (type: ...)`,
			);
		}
	}

	return issues;
}

function fieldTypeIssue(kind: Kind, field: Field): string | undefined {
	const wanted = numberKinds.has(kind) ? 'number' : 'status';
	return field.type === wanted
		? undefined
		: `applies to a ${wanted} field; ${field.name} is a ${field.type} field`;
}

type RuleIssue = {path: Array<string | number>; message: string};

function kindIssues(rule: RuleConfig, kind: Kind): RuleIssue[] {
	const issues: RuleIssue[] = [];
	if (!bandKinds.has(kind)) {
		for (const key of ['for_s', 'clear_margin'] as const) {
			if (rule[key] !== undefined) {
				issues.push({
					path: [key],
					message: 'only for a band rule (above, below, outside)',
				});
			}
		}
	}

	if (kind !== 'outside' && rule.severity !== undefined) {
		issues.push({
			path: ['severity'],
			message:
				'only for an outside rule (above and below take warn and crit levels)',
		});
	}

	if (kind === 'above' || kind === 'below') {
		issues.push(...bandIssues(kind, rule[kind] ?? {}));
	}

	const [low, high] = rule.outside ?? [0, 1];
	if (!(low < high)) {
		issues.push({
			path: ['outside'],
			message: `[low, high]: the low end (${low}) must be below the high end (${high})`,
		});
	}

	if (
		kind === 'change' &&
		(rule.change?.max === undefined) === (rule.change?.max_per_s === undefined)
	) {
		issues.push({
			path: ['change'],
			message:
				'takes max (between consecutive readings) or max_per_s (per second between them), one of them',
		});
	}

	return issues;
}

function bandIssues(
	kind: 'above' | 'below',
	levels: {warn?: number | null; crit?: number | null},
): RuleIssue[] {
	const warn = levels.warn ?? null;
	const crit = levels.crit ?? null;
	if (warn === null && crit === null) {
		return [
			{
				path: [kind],
				message: 'takes warn, crit or both, e.g. {warn: 30, crit: 35}',
			},
		];
	}

	const ordered =
		warn === null ||
		crit === null ||
		(kind === 'above' ? warn < crit : warn > crit);
	return ordered
		? []
		: [
				{
					path: [kind, 'warn'],
					message: `must be ${kind === 'above' ? 'below' : 'above'} ${kind}.crit (${crit}): the warning band comes before the critical one`,
				},
			];
}
