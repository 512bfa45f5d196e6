// The rules of one set of detector settings, in report order, and the hooks the detector
// calls on them: which rules a retune keeps (and retunes) and which it makes afresh. The
// detector owns the time line and the events; this owns only which rules there are.
import type {DeviceProfile, Reading} from '../device-profile.js';
import {reportOrder, type ReportOrder} from '../incident.js';
import type {DetectorSettings, RuleSpec} from '../rule-spec.js';
import {createBandRule, type BandRule} from './band.js';
import {createChangeRule, type ChangeRule} from './change.js';
import {fanOut} from './fan-out.js';
import type {HeartbeatRule} from './heartbeat.js';
import {createMismatchRule, type MismatchRule} from './mismatch.js';
import {createOutsideRule, type OutsideRule} from './outside.js';
import type {ParseErrorRule} from './parse-errors.js';
import {createPredictRule, type PredictRule} from './predict.js';
import {incidentTypesOf, rulesInReportOrder} from './rule-types.js';
import type {Rule, Timeline} from './rule.js';
import {createStatusRule, type StatusRule} from './status.js';

/** The device-wide rules, which every composition shares, and the clock rules are made on. */
export type DeviceRules = {
	heartbeat: HeartbeatRule;
	parseErrors: ParseErrorRule;
	timeline: Timeline;
};

/** A rule on a field, tagged with its kind so that a retune gives it a spec of its own kind. */
type FieldEntry =
	| {kind: 'band'; rule: BandRule}
	| {kind: 'outside'; rule: OutsideRule}
	| {kind: 'change'; rule: ChangeRule}
	| {kind: 'status'; rule: StatusRule}
	| {kind: 'mismatch'; rule: MismatchRule}
	| {kind: 'predict'; rule: PredictRule};

/** The rules of one set of settings, and the lists of those that have each hook. */
export type Composition = {
	byType: Map<
		string,
		{rule: Rule; spec: RuleSpec | undefined; entry: FieldEntry | undefined}
	>;
	all: Rule[];
	// Each hook of every rule that has it, called in report order from one function with a
	// call site per rule (core/rules/fan-out.ts): a loop over the rules at one site was a
	// megamorphic lookup and call per rule and reading.
	tick: () => void;
	reading: (time: number, line: number, reading: Reading) => void;
	reconnected: (time: number) => void;
	predicting: PredictRule[];
	order: ReportOrder;
};

/**
 * The rules of `next`, in report order: those of `previous` with the same type, kind and
 * field go on (retuned where their field is in `retuned`), others are made afresh.
 */
export function composeRules(
	next: DetectorSettings,
	previous: Composition | undefined,
	retuned: ReadonlySet<string>,
	{heartbeat, parseErrors, timeline}: DeviceRules,
): Composition {
	const byType: Composition['byType'] = new Map();
	for (const spec of rulesInReportOrder(next)) {
		if (spec.kind === 'heartbeat') {
			byType.set(spec.type, {
				rule: heartbeat,
				spec: undefined,
				entry: undefined,
			});
			continue;
		}

		if (spec.kind === 'parse_errors') {
			byType.set(spec.type, {
				rule: parseErrors,
				spec: undefined,
				entry: undefined,
			});
			continue;
		}

		const kept = previous?.byType.get(spec.type);
		if (
			kept?.entry &&
			kept.spec?.kind === spec.kind &&
			kept.spec.field === spec.field
		) {
			if (retuned.has(spec.field)) {
				retuneFieldRule(kept.entry, spec, next.profile);
			}

			byType.set(spec.type, {...kept, spec});
		} else {
			const entry = createFieldRule(spec, next.profile, timeline);
			byType.set(spec.type, {rule: entry.rule, spec, entry});
		}
	}

	const all = [...byType.values()].map(({rule}) => rule);
	const bands = [...byType.values()].flatMap(({entry}) =>
		entry?.kind === 'band' || entry?.kind === 'outside' ? [entry.rule] : [],
	);
	for (const {entry} of byType.values()) {
		if (entry?.kind === 'mismatch') {
			entry.rule.watch(bands);
		}
	}

	return {
		byType,
		all,
		tick: fanOut(all.flatMap(({tick}) => (tick ? [tick] : []))),
		reading: fanOut(all.flatMap(({reading}) => (reading ? [reading] : []))),
		reconnected: fanOut(
			all.flatMap(({reconnected}) => (reconnected ? [reconnected] : [])),
		),
		predicting: [...byType.values()].flatMap(({entry}) =>
			entry?.kind === 'predict' ? [entry.rule] : [],
		),
		order: reportOrder(incidentTypesOf(next)),
	};
}

function createFieldRule(
	spec: RuleSpec,
	profile: DeviceProfile,
	timeline: Timeline,
): FieldEntry {
	switch (spec.kind) {
		case 'above':
		case 'below': {
			return {kind: 'band', rule: createBandRule(spec, profile, timeline)};
		}

		case 'outside': {
			return {
				kind: 'outside',
				rule: createOutsideRule(spec, profile, timeline),
			};
		}

		case 'change': {
			return {
				kind: 'change',
				rule: createChangeRule(spec, profile, timeline),
			};
		}

		case 'status': {
			return {
				kind: 'status',
				rule: createStatusRule(spec, profile, timeline),
			};
		}

		case 'mismatch': {
			return {
				kind: 'mismatch',
				rule: createMismatchRule(spec, profile, timeline),
			};
		}

		case 'predict': {
			return {
				kind: 'predict',
				rule: createPredictRule(spec, profile, timeline),
			};
		}
	}
}

/**
 * The fields whose rules (or declaration) differ between two settings: a retune retunes only
 * the rules on those, so an edit elsewhere does not restart a breach waiting out its for_s.
 */
export function changedFields(
	previous: DetectorSettings,
	next: DetectorSettings,
): Set<string> {
	const fields = new Set([
		...previous.rules.map(({field}) => field),
		...next.rules.map(({field}) => field),
	]);
	return new Set(
		[...fields].filter(
			(field) =>
				fieldDeclaration(previous, field) !== fieldDeclaration(next, field),
		),
	);
}

function retuneFieldRule(
	entry: FieldEntry,
	spec: RuleSpec,
	profile: DeviceProfile,
): void {
	if (
		entry.kind === 'band' &&
		(spec.kind === 'above' || spec.kind === 'below')
	) {
		entry.rule.retune(spec, profile);
	} else if (entry.kind === 'outside' && spec.kind === 'outside') {
		entry.rule.retune(spec, profile);
	} else if (entry.kind === 'change' && spec.kind === 'change') {
		entry.rule.retune(spec, profile);
	} else if (entry.kind === 'status' && spec.kind === 'status') {
		entry.rule.retune(spec, profile);
	} else if (entry.kind === 'mismatch' && spec.kind === 'mismatch') {
		entry.rule.retune(spec, profile);
	} else if (entry.kind === 'predict' && spec.kind === 'predict') {
		entry.rule.retune(spec, profile);
	}
}

/** A field's declaration and every rule on it, as one comparable text. */
function fieldDeclaration(settings: DetectorSettings, field: string): string {
	return JSON.stringify([
		settings.profile.fields.find(({name}) => name === field),
		settings.rules.filter((rule) => rule.field === field),
	]);
}
