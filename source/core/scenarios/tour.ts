// tour: the scenario a declared device plays, generated from its fields and rules. It walks
// every rule the detector was given into firing and back out of it, in the device's format:
// - calm, then a burst of parse_errors.max_per_min + 5 damaged lines (PARSE_ERROR_RATE,
//   first because it resolves only a minute later);
// - each band rule in declared order: its warn level, then its crit level (an outside rule:
//   above its high end, then below its low end), each held for_s + 3 s so that the breach
//   fires, then back to normal, clear_margin inside the level, so that it resolves;
// - each change rule: one jump of 1.5 times its limit, eased back in steps that fire nothing;
// - each predict rule: a straight ramp for window_s towards the nearer crit level it aims
//   at, slow enough to end short of it (a line drawn through it reaches the level within the
//   horizon by then, so the prediction fires before the band is crossed), held level for
//   window_s + 2 s (the line flattens and the prediction resolves), then eased back;
// - each status field: every level it declares, in order, then its NORMAL text;
// - each mismatch rule: a band breach held while that status field says NORMAL;
// - a silence of 1.6 x heartbeat_timeout_s (a CSV device prints its header again after it,
//   as a reboot does), then calm until the burst is over a minute old, and the end.
// Outside those moments every value stays within its field's range and clear of every band,
// and moves in steps of at most a third of its field's change limit. The status fields say
// what a healthy device would: the level of the worst band the values are in, by the
// detector's comparisons (strictly past a level; clear only clear_margin back inside).
import type {
	DeviceProfile,
	NumberField,
	StatusField,
} from '../device-profile.js';
import type {Severity} from '../incident.js';
import type {StatusLevel} from '../protocol.js';
import type {
	BandRuleSpec,
	ChangeRuleSpec,
	DetectorSettings,
	OutsideRuleSpec,
	PredictRuleSpec,
} from '../rule-spec.js';
import {corruptLine} from './profile-corrupt.js';
import {formatNumber, linePrinter, TemplateError} from './profile-line.js';
import {createPrng, noise, type Random} from './random.js';
import {lineStep, type EmulatorStep} from './step.js';
import {ScenarioError} from './user-file.js';

export type TourOptions = {
	seed: number;
	/** Lines per second the steps are played at (0 or left out: counted as 10). */
	rateHz?: number;
};

const defaultRateHz = 10;
// Seconds a breach is held beyond its for_s, and a calm stretch lasts.
const holdMarginS = 3;
const calmS = 2;
// The tour ends no sooner than this after its burst of damaged lines, so that the parse
// error rate (over a minute) has fallen back and its incident resolved.
const burstAgeS = 65;

type BandRule = BandRuleSpec | OutsideRuleSpec;

/** One value past one level of one band rule: where the tour takes a field, and how bad it is. */
type Breach = {index: number; target: number; severity: Severity};

type NumberPlan = {
	index: number;
	field: NumberField;
	/**
	 * Its range, an unbounded end replaced by one as far beyond the rules' levels (and the
	 * other end) as they spread, at least 10: where the tour keeps the field.
	 */
	range: readonly [number, number];
	/** The values that fire none of its band rules, clear margins included. */
	calm: readonly [number, number];
	normal: number;
	spread: number;
	/** The largest step that fires none of the field's change rules. */
	maxStep: number;
	/** Values a printed number must not land on exactly (levels and their clear points). */
	boundaries: number[];
};

/**
 * The tour's steps for these settings. Checks eagerly (throws a ScenarioError) that every
 * numeric field has a calm value and that a regex device has a line to print.
 */
export function profileTour(
	settings: DetectorSettings,
	options: TourOptions,
): Iterable<EmulatorStep> {
	const {profile} = settings;
	let printer;
	try {
		printer = linePrinter(profile);
	} catch (error) {
		if (error instanceof TemplateError) {
			throw new ScenarioError([
				`tour: device ${profile.name}: ${error.message}`,
			]);
		}

		throw error;
	}

	const rateHz =
		options.rateHz === undefined || options.rateHz === 0
			? defaultRateHz
			: options.rateHz;
	const plans = numberPlans(settings, rateHz);
	const firstTexts = initialTexts(profile, plans);
	checkPrintable(profile, printer.line(firstTexts));
	return walk({settings, printer, plans, rateHz, seed: options.seed});
}

function bandRulesOf(settings: DetectorSettings, field: string): BandRule[] {
	return settings.rules.filter(
		(rule): rule is BandRule =>
			rule.field === field &&
			(rule.kind === 'above' ||
				rule.kind === 'below' ||
				rule.kind === 'outside'),
	);
}

function changeRulesOf(
	settings: DetectorSettings,
	field: string,
): ChangeRuleSpec[] {
	return settings.rules.filter(
		(rule): rule is ChangeRuleSpec =>
			rule.field === field && rule.kind === 'change',
	);
}

/** The largest change between two readings 1/rateHz apart that a change rule allows. */
function changeAllowed(rule: ChangeRuleSpec, rateHz: number): number {
	return rule.per === 'second' ? rule.max / rateHz : rule.max;
}

/**
 * For each numeric field: the interval that fires none of its band rules (its range,
 * narrowed by each level and its clear margin), a calm value in it and how much it jitters.
 */
function numberPlans(settings: DetectorSettings, rateHz: number): NumberPlan[] {
	const plans: NumberPlan[] = [];
	for (const [index, field] of settings.profile.fields.entries()) {
		if (field.type !== 'number') {
			continue;
		}

		const range = tourRange(
			field,
			bandRulesOf(settings, field.name).flatMap((rule) =>
				levelsOf(rule).map((level) => level.value),
			),
		);
		const [rangeLow, rangeHigh] = range;
		let [low, high] = [rangeLow, rangeHigh];
		let [lowTight, highTight] = [false, false];
		const boundaries: number[] = [];
		const narrow = (side: 'low' | 'high', value: number) => {
			if (side === 'high' && value < high) {
				[high, highTight] = [value, true];
			} else if (side === 'low' && value > low) {
				[low, lowTight] = [value, true];
			}
		};

		for (const rule of bandRulesOf(settings, field.name)) {
			const margin = rule.clear_margin;
			for (const level of levelsOf(rule)) {
				boundaries.push(level.value, level.clearAt);
				narrow(level.side, level.clearAt);
			}

			// A margin of 0 resolves at the level itself: stay a printed unit inside it.
			if (margin === 0) {
				const unit = 10 ** -field.decimals;
				for (const level of levelsOf(rule)) {
					narrow(
						level.side,
						level.value + (level.side === 'high' ? -unit : unit),
					);
				}
			}
		}

		if (!(low < high)) {
			throw new ScenarioError([
				`tour: the field ${field.name} has no value inside its range [${rangeLow}, ${rangeHigh}] that fires none of its band rules`,
			]);
		}

		// One side bounded by a rule: the calm value keeps twice the levels' spread from it (or
		// half its distance from 0, as 35 keeps from 70), at most the middle of the calm values.
		const levelValues = bandRulesOf(settings, field.name).flatMap((rule) =>
			levelsOf(rule).map((level) => level.value),
		);
		const spreadOfLevels =
			levelValues.length === 0
				? 0
				: Math.max(...levelValues) - Math.min(...levelValues);
		const middle = (low + high) / 2;
		const away = (bound: number) =>
			Math.max(
				2 * spreadOfLevels,
				10 * 10 ** -field.decimals,
				Math.abs(bound) / 2,
			);
		const normal =
			lowTight === highTight
				? middle
				: highTight
					? Math.max(middle, high - away(high))
					: Math.min(middle, low + away(low));
		const maxStep = Math.min(
			Number.POSITIVE_INFINITY,
			...changeRulesOf(settings, field.name).map(
				(rule) => changeAllowed(rule, rateHz) / 3,
			),
		);
		const spread = Math.min(
			maxStep / 2,
			(high - low) * 0.02,
			(high - normal) / 2,
			(normal - low) / 2,
		);
		plans.push({
			index,
			field,
			range,
			calm: [low, high],
			normal,
			spread,
			maxStep,
			boundaries,
		});
	}

	return plans;
}

function tourRange(
	field: NumberField,
	levels: readonly number[],
): readonly [number, number] {
	const [low, high] = field.range;
	const known = [low, high, ...levels].filter((value) =>
		Number.isFinite(value),
	);
	const least = known.length === 0 ? 0 : Math.min(...known);
	const most = known.length === 0 ? 100 : Math.max(...known);
	const pad = Math.max(10, most - least);
	return [
		Number.isFinite(low) ? low : least - pad,
		Number.isFinite(high) ? high : most + pad,
	];
}

type Level = {
	value: number;
	clearAt: number;
	/** The side of the calm values the level bounds. */
	side: 'low' | 'high';
	severity: Severity;
};

/** A band rule's levels, the mildest first (warn before crit; an outside rule's high end first). */
function levelsOf(rule: BandRule): Level[] {
	const margin = rule.clear_margin;
	if (rule.kind === 'outside') {
		return [
			{
				value: rule.high,
				clearAt: rule.high - margin,
				side: 'high',
				severity: rule.severity,
			},
			{
				value: rule.low,
				clearAt: rule.low + margin,
				side: 'low',
				severity: rule.severity,
			},
		];
	}

	const side = rule.kind === 'above' ? 'high' : 'low';
	const sign = side === 'high' ? -1 : 1;
	const levels: Level[] = [];
	if (rule.warn !== null) {
		levels.push({
			value: rule.warn,
			clearAt: rule.warn + sign * margin,
			side,
			severity: 'WARNING',
		});
	}

	if (rule.crit !== null) {
		levels.push({
			value: rule.crit,
			clearAt: rule.crit + sign * margin,
			side,
			severity: 'CRITICAL',
		});
	}

	return levels;
}

/** Where the tour takes a field to breach each level of a rule; a level beyond the range cannot fire. */
function breachesOf(rule: BandRule, plan: NumberPlan): Breach[] {
	const {field, normal, index} = plan;
	const [rangeLow, rangeHigh] = plan.range;
	const unit = 10 ** -field.decimals;
	const levels = levelsOf(rule);
	return levels.flatMap((level, position) => {
		const beyond = Math.max(10 * unit, Math.abs(level.value - normal) * 0.1);
		const next = levels[position + 1];
		let target: number;
		if (level.side === 'high') {
			// A warn level's breach stays short of the crit level above it.
			const ceiling =
				next?.side === 'high' && next.value > level.value
					? next.value
					: (level.value + rangeHigh) / 2;
			target = Math.min(level.value + beyond, (level.value + ceiling) / 2);
			target = round(target, field.decimals);
			if (!(target > level.value && target < rangeHigh)) {
				return [];
			}
		} else {
			const floor =
				next?.side === 'low' && next.value < level.value
					? next.value
					: (level.value + rangeLow) / 2;
			target = Math.max(level.value - beyond, (level.value + floor) / 2);
			target = round(target, field.decimals);
			if (!(target < level.value && target > rangeLow)) {
				return [];
			}
		}

		return [{index, target, severity: level.severity}];
	});
}

/** Every breach of every band rule, field by field in declared order, with the rule's for_s. */
function allBreaches(
	settings: DetectorSettings,
	plans: readonly NumberPlan[],
): Array<{episode: Breach; forS: number}> {
	return plans.flatMap((plan) =>
		bandRulesOf(settings, plan.field.name).flatMap((rule) =>
			breachesOf(rule, plan).map((episode) => ({episode, forS: rule.for_s})),
		),
	);
}

/**
 * Where one reading jumps from the calm value to fire a change rule: 1.5 times its limit (a
 * per-second limit as if the line came up to 1.5 s late), where it fires no band rule if it
 * can; else as far as the range allows beyond the limit; undefined if the range is too narrow.
 */
function jumpTarget(
	plan: NumberPlan,
	rule: ChangeRuleSpec,
	rateHz: number,
): number | undefined {
	const limit =
		rule.per === 'second' ? rule.max * Math.max(1, 1 / rateHz) : rule.max;
	const jump = 1.5 * limit;
	const [rangeLow, rangeHigh] = plan.range;
	const [calmLow, calmHigh] = plan.calm;
	const {normal} = plan;
	if (normal + jump < calmHigh) {
		return normal + jump;
	}

	if (normal - jump > calmLow) {
		return normal - jump;
	}

	const room = Math.max(rangeHigh - normal, normal - rangeLow);
	const reach = Math.min(jump, room);
	if (reach <= limit + 2 * 10 ** -plan.field.decimals) {
		return undefined;
	}

	return rangeHigh - normal >= normal - rangeLow
		? normal + reach
		: normal - reach;
}

function round(value: number, decimals: number): number {
	const factor = 10 ** decimals;
	return Math.round(value * factor) / factor;
}

function statusText(
	field: StatusField,
	level: StatusLevel,
): string | undefined {
	return field.levels.find((match) => match.level === level)?.value;
}

/** The text a healthy device reports at this severity (NORMAL: none). */
function textFor(field: StatusField, severity: Severity | undefined): string {
	const normal = statusText(field, 'NORMAL') ?? field.levels[0]?.value ?? '';
	if (severity === undefined) {
		return normal;
	}

	const other = severity === 'WARNING' ? 'CRITICAL' : 'WARNING';
	return statusText(field, severity) ?? statusText(field, other) ?? normal;
}

function initialTexts(
	profile: DeviceProfile,
	plans: readonly NumberPlan[],
): string[] {
	return profile.fields.map((field, index) => {
		if (field.type === 'status') {
			return textFor(field, undefined);
		}

		const plan = plans.find((plan) => plan.index === index)!;
		return formatNumber(plan.normal, field.decimals);
	});
}

/** A regex device's calm line must match its own pattern, or the template is wrong. */
function checkPrintable(profile: DeviceProfile, line: string): void {
	if (profile.format.type !== 'regex') {
		return;
	}

	let pattern: RegExp;
	try {
		pattern = new RegExp(profile.format.pattern, 'u');
	} catch {
		// The monitor's codec judges the pattern; a pattern JavaScript cannot read is its error to name.
		return;
	}

	if (!pattern.test(line)) {
		throw new ScenarioError([
			`tour: device ${profile.name}: the line printed from the template does not match the pattern: ${line}`,
		]);
	}
}

type WalkInput = {
	settings: DetectorSettings;
	printer: ReturnType<typeof linePrinter>;
	plans: NumberPlan[];
	rateHz: number;
	seed: number;
};

function* walk(input: WalkInput): Generator<EmulatorStep> {
	const {settings, printer, plans, rateHz} = input;
	const {profile} = settings;
	const random: Random = createPrng(input.seed);
	const lines = (seconds: number) => Math.max(1, Math.round(seconds * rateHz));
	const values = new Map(plans.map((plan) => [plan.index, plan.normal]));
	const planOf = new Map(plans.map((plan) => [plan.index, plan]));
	// Status texts forced by the walk (its levels, a mismatch), by field index.
	const forced = new Map<number, string>();
	let elapsedS = 0;

	// The device's view of each band rule: in breach from strictly past a level until back
	// at or inside its clear point, as the detector judges it.
	const bandStates = profile.fields.flatMap((field, index) =>
		field.type === 'number'
			? bandRulesOf(settings, field.name).flatMap((rule) =>
					levelsOf(rule).map((level) => ({index, level, breached: false})),
				)
			: [],
	);
	const severity = (): Severity | undefined => {
		let worst: Severity | undefined;
		for (const state of bandStates) {
			const value = values.get(state.index)!;
			const {value: at, clearAt, side} = state.level;
			state.breached =
				side === 'high'
					? value > at || (state.breached && value > clearAt)
					: value < at || (state.breached && value < clearAt);
			if (state.breached && worst !== 'CRITICAL') {
				worst = state.level.severity;
			}
		}

		return worst;
	};

	const texts = (): string[] => {
		const level = severity();
		return profile.fields.map((field, index) => {
			if (field.type === 'status') {
				return forced.get(index) ?? textFor(field, level);
			}

			return formatNumber(values.get(index)!, field.decimals);
		});
	};

	const set = (index: number, value: number) => {
		const plan = planOf.get(index)!;
		const {range} = plan;
		const {decimals} = plan.field;
		let printed = round(value, decimals);
		if (plan.boundaries.includes(printed)) {
			printed = round(printed + 10 ** -decimals, decimals);
		}

		values.set(index, Math.min(Math.max(printed, range[0]), range[1]));
	};

	const line = (): EmulatorStep => {
		elapsedS += 1 / rateHz;
		return lineStep(printer.line(texts()));
	};

	const jitter = (except?: number) => {
		for (const plan of plans) {
			if (plan.index !== except) {
				set(plan.index, plan.normal + noise(random) * plan.spread);
			}
		}
	};

	function* calm(seconds: number): Generator<EmulatorStep> {
		for (let n = lines(seconds); n > 0; n--) {
			jitter();
			yield line();
		}
	}

	/** An eased move of one field, slower than `seconds` if a step would exceed its maxStep. */
	function* move(
		index: number,
		to: number,
		seconds = calmS,
	): Generator<EmulatorStep> {
		const from = values.get(index)!;
		const {maxStep} = planOf.get(index)!;
		// Smoothstep's steepest step is 1.5 times the average one.
		const count = Math.max(
			lines(seconds),
			Number.isFinite(maxStep)
				? Math.ceil((1.5 * Math.abs(to - from)) / maxStep)
				: 0,
		);
		for (let step = 1; step <= count; step++) {
			const fraction = step / count;
			const eased = fraction * fraction * (3 - 2 * fraction);
			jitter(index);
			set(index, from + (to - from) * eased);
			yield line();
		}
	}

	function* hold(
		index: number,
		at: number,
		seconds: number,
	): Generator<EmulatorStep> {
		for (let n = lines(seconds); n > 0; n--) {
			jitter(index);
			set(index, at);
			yield line();
		}
	}

	function* predictRamp(
		plan: NumberPlan,
		rule: PredictRuleSpec,
	): Generator<EmulatorStep> {
		const {index, normal} = plan;
		const {above, below} = rule;
		const target =
			above !== null && (below === null || above - normal <= normal - below)
				? above
				: below;
		if (target === null) {
			return;
		}

		// The line's ETA at the ramp's end is half the horizon; it reaches the horizon at
		// window_s - horizon_s / 2, after half the window has filled, or at half the window.
		const perS = (target - normal) / (rule.window_s + rule.horizon_s / 2);
		const count = lines(rule.window_s);
		for (let step = 1; step <= count; step++) {
			jitter(index);
			set(index, normal + (perS * step) / rateHz);
			yield line();
		}

		yield* hold(index, values.get(index)!, rule.window_s + 2);
		yield* move(index, normal);
		yield* calm(calmS);
	}

	function* breach(episode: Breach, forS: number): Generator<EmulatorStep> {
		const plan = planOf.get(episode.index)!;
		yield* move(episode.index, episode.target);
		yield* hold(episode.index, episode.target, forS + holdMarginS);
		yield* move(episode.index, plan.normal);
		yield* calm(calmS);
	}

	if (printer.header !== undefined) {
		yield lineStep(printer.header);
	}

	yield* calm(3);
	const burstAtS = elapsedS;
	for (let n = settings.parse_errors.max_per_min + 5; n > 0; n--) {
		jitter();
		elapsedS += 1 / rateHz;
		yield corruptLine(profile, printer, texts(), random);
	}

	yield* calm(3);

	const breaches = allBreaches(settings, plans);
	for (const {episode, forS} of breaches) {
		yield* breach(episode, forS);
	}

	for (const plan of plans) {
		for (const rule of changeRulesOf(settings, plan.field.name)) {
			const to = jumpTarget(plan, rule, rateHz);
			if (to !== undefined) {
				// From the calm value itself, so that the jump is exactly as planned.
				yield* hold(plan.index, plan.normal, 1 / rateHz);
				jitter(plan.index);
				set(plan.index, to);
				yield line();
				yield* move(plan.index, plan.normal);
				yield* calm(calmS);
			}
		}
	}

	for (const rule of settings.rules) {
		if (rule.kind === 'predict') {
			const plan = plans.find(({field}) => field.name === rule.field);
			if (plan) {
				yield* predictRamp(plan, rule);
			}
		}
	}

	for (const [index, field] of profile.fields.entries()) {
		if (field.type !== 'status') {
			continue;
		}

		for (const match of field.levels) {
			forced.set(index, match.value);
			yield* calm(calmS);
		}

		forced.delete(index);
		yield* calm(calmS);
	}

	for (const rule of settings.rules) {
		const index = profile.fields.findIndex(
			(field) => field.name === rule.field,
		);
		const field = profile.fields[index];
		// The worst breach the tour has, so that the device's NORMAL is as wrong as it gets.
		const mismatched =
			breaches.find(({episode}) => episode.severity === 'CRITICAL') ??
			breaches[0];
		if (rule.kind === 'mismatch' && field?.type === 'status' && mismatched) {
			forced.set(index, textFor(field, undefined));
			yield* breach(mismatched.episode, mismatched.forS);
			forced.delete(index);
		}
	}

	yield* calm(calmS);
	yield {
		kind: 'silence',
		ms: Math.round(settings.heartbeat_timeout_s * 1000 * 1.6),
	};
	elapsedS += settings.heartbeat_timeout_s * 1.6;
	if (printer.header !== undefined) {
		yield lineStep(printer.header);
	}

	yield* calm(Math.max(5, burstAgeS - (elapsedS - burstAtS)));
}
