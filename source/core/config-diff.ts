// What a live edit of config.yaml changed, key by key, and what it takes to apply each
// change: the detector and the store take thresholds, rules and history at once, the
// serial source reopens the port, and the rest is read only at start (the device's format
// and fields among them: the parser, the CSV and the checkpoint are built for one device).
// Rules are matched by the incident type they fire, as the detector matches them on a
// retune (core/rules/composition.ts), never by their place in the list.
import type {Config} from './config.js';
import {isPlainObject} from './plain-object.js';
import {resolveRules, type RuleConfig} from './rules-config.js';

export type ConfigEffect = 'live' | 'reconnect' | 'restart';

export type ConfigChange = {
	/**
	 * Dotted keys; thresholds without their section ("temperature.max_c"), the rest with it
	 * ("serial.baud_rate"); a device's field by its index ("device.fields[0].key"); a rule by
	 * the incident type it fires ("rules[THRESHOLD_BREACH_HUMIDITY].above.crit"), the whole
	 * rule where one is added or removed ("rules[RAPID_CHANGE_HUMIDITY]", before or after
	 * undefined), and "rules" with the types in their old and new order where only the
	 * order of the rules that stay changed (it orders incidents that start together).
	 */
	path: string;
	before: unknown;
	after: unknown;
	effect: ConfigEffect;
};

// reconnect_interval_s is not among them: reopening a healthy port to change how often a
// lost one is retried would cost data for nothing.
const reconnectKeys = new Set(['serial.port', 'serial.baud_rate']);

// Lists compared item by item, so that an edit of one field names that field's key.
const listsByItem = new Set(['device.fields']);

/**
 * One change per leaf key whose value differs, in the order of the schema. Rules retune
 * live, except with a change of the device, which waits for a restart: they are written
 * for its fields, so they wait with it.
 */
export function diffConfig(before: Config, after: Config): ConfigChange[] {
	const changes: ConfigChange[] = [];
	const walk = (keys: string[], a: unknown, b: unknown) => {
		if (keys.length === 1 && keys[0] === 'rules') {
			const rulesBefore = declaredRules(before);
			const rulesAfter = declaredRules(after);
			if (rulesBefore && rulesAfter) {
				changes.push(...diffRules(rulesBefore, rulesAfter));
				return;
			}
		}

		if (isPlainObject(a) && isPlainObject(b)) {
			for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
				walk([...keys, key], a[key], b[key]);
			}
		} else if (
			Array.isArray(a) &&
			Array.isArray(b) &&
			listsByItem.has(keys.join('.'))
		) {
			for (let index = 0; index < Math.max(a.length, b.length); index++) {
				walk([...keys, `[${index}]`], a[index], b[index]);
			}
		} else if (!sameLeaf(a, b)) {
			changes.push(change(keys, a, b));
		}
	};

	walk([], before, after);
	const deviceChanged = changes.some(
		(change) =>
			change.path.startsWith('device.') && change.path !== 'device.name',
	);
	return deviceChanged
		? changes.map((change) =>
				isRule(change.path) ? {...change, effect: 'restart'} : change,
			)
		: changes;
}

/**
 * The rules a config declares: a declared device without `rules:` has none; undefined for
 * the built-in device without them, whose rules come from `thresholds`.
 */
function declaredRules(config: Config): readonly RuleConfig[] | undefined {
	return config.rules ?? (config.device.fields === undefined ? undefined : []);
}

/** Rules by identity: the incident type each fires, as the detector keeps them. */
function diffRules(
	before: readonly RuleConfig[],
	after: readonly RuleConfig[],
): ConfigChange[] {
	const old = byType(before);
	const next = byType(after);
	const changes: ConfigChange[] = [];
	for (const [type, rule] of old) {
		if (!next.has(type)) {
			changes.push(ruleChange(type, [], rule, undefined));
		}
	}

	for (const [type, rule] of next) {
		const was = old.get(type);
		if (was === undefined) {
			changes.push(ruleChange(type, [], undefined, rule));
		} else {
			changes.push(...walkRule(type, [], was, rule));
		}
	}

	const kept = (
		rules: Map<string, RuleConfig>,
		other: Map<string, RuleConfig>,
	) => [...rules.keys()].filter((type) => other.has(type));
	const orderBefore = kept(old, next);
	const orderAfter = kept(next, old);
	if (orderBefore.join(',') !== orderAfter.join(',')) {
		changes.push({
			path: 'rules',
			before: orderBefore,
			after: orderAfter,
			effect: 'live',
		});
	}

	return changes;
}

/**
 * Each rule under the type it fires, in declared order. The config refuses two rules of
 * one type; were there two, the second would be keyed "TYPE#2", so that neither is lost.
 */
function byType(rules: readonly RuleConfig[]): Map<string, RuleConfig> {
	const specs = resolveRules(rules);
	const keyed = new Map<string, RuleConfig>();
	for (const [index, rule] of rules.entries()) {
		const {type} = specs[index]!;
		let key = type;
		for (let count = 2; keyed.has(key); count++) {
			key = `${type}#${count}`;
		}

		keyed.set(key, rule);
	}

	return keyed;
}

/** One change per leaf key of the rule whose value differs; a list (outside) is one leaf. */
function walkRule(
	type: string,
	keys: string[],
	a: unknown,
	b: unknown,
): ConfigChange[] {
	if (isPlainObject(a) && isPlainObject(b)) {
		return [...new Set([...Object.keys(a), ...Object.keys(b)])].flatMap((key) =>
			walkRule(type, [...keys, key], a[key], b[key]),
		);
	}

	return sameLeaf(a, b) ? [] : [ruleChange(type, keys, a, b)];
}

function ruleChange(
	type: string,
	keys: string[],
	before: unknown,
	after: unknown,
): ConfigChange {
	return {
		path: [`rules[${type}]`, ...keys].join('.'),
		before,
		after,
		effect: 'live',
	};
}

function isRule(path: string): boolean {
	return path === 'rules' || path.startsWith('rules[');
}

function change(keys: string[], before: unknown, after: unknown): ConfigChange {
	const full = keys.join('.').replaceAll('.[', '[');
	return {
		path: keys[0] === 'thresholds' ? full.slice('thresholds.'.length) : full,
		before,
		after,
		effect: effectOf(full),
	};
}

function effectOf(path: string): ConfigEffect {
	if (
		path.startsWith('thresholds.') ||
		isRule(path) ||
		path === 'ui.history_points'
	) {
		return 'live';
	}

	return reconnectKeys.has(path) ? 'reconnect' : 'restart';
}

/**
 * "temperature.max_c 80 -> 75"; a rule as what was done to it: "rule added: {field: humidity,
 * change: {max: 50}} (RAPID_CHANGE_HUMIDITY)", "rule THRESHOLD_BREACH_TEMPERATURE: above.crit
 * 33 -> 35", "rules reordered: RAPID_CHANGE_TEMPERATURE moved".
 */
export function formatChange(change: ConfigChange): string {
	const rule = ruleKey(change.path);
	if (rule) {
		if (rule.key === undefined && change.before === undefined) {
			return `rule added: ${formatRule(change.after)} (${rule.type})`;
		}

		if (rule.key === undefined && change.after === undefined) {
			return `rule removed: ${formatRule(change.before)} (${rule.type})`;
		}

		return `rule ${rule.type}: ${rule.key ?? '(whole rule)'} ${formatValue(change.before)} -> ${formatValue(change.after)}`;
	}

	if (
		change.path === 'rules' &&
		Array.isArray(change.before) &&
		Array.isArray(change.after)
	) {
		return `rules reordered: ${moved(change.before, change.after).join(', ')} moved`;
	}

	return `${change.path} ${formatValue(change.before)} -> ${formatValue(change.after)}`;
}

/**
 * The items of `after` outside a longest common subsequence with `before`: the fewest that
 * moved, so that one rule dragged to the end names that rule, not all it passed.
 */
function moved(
	before: readonly unknown[],
	after: readonly unknown[],
): unknown[] {
	// Lengths[i][j]: the longest common subsequence of before[i..] and after[j..].
	const lengths = Array.from({length: before.length + 1}, () =>
		Array.from({length: after.length + 1}, () => 0),
	);
	for (let i = before.length - 1; i >= 0; i--) {
		for (let j = after.length - 1; j >= 0; j--) {
			lengths[i]![j] =
				before[i] === after[j]
					? lengths[i + 1]![j + 1]! + 1
					: Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
		}
	}

	const result: unknown[] = [];
	let i = 0;
	let j = 0;
	while (j < after.length) {
		if (i < before.length && before[i] === after[j]) {
			i++;
			j++;
		} else if (
			i < before.length &&
			lengths[i + 1]![j]! >= lengths[i]![j + 1]!
		) {
			i++;
		} else {
			result.push(after[j]);
			j++;
		}
	}

	return result;
}

/** "rules[TYPE].above.crit" as its type and its key within the rule. */
function ruleKey(path: string): {type: string; key?: string} | undefined {
	const end = path.indexOf(']');
	if (!path.startsWith('rules[') || end === -1) {
		return undefined;
	}

	const type = path.slice('rules['.length, end);
	const key = path.slice(end + 2);
	return key === '' ? {type} : {type, key};
}

/** A rule as a YAML flow mapping, as config.yaml's examples write one: {field: humidity, below: {crit: 20}}. */
function formatRule(value: unknown): string {
	if (isPlainObject(value)) {
		return `{${Object.entries(value)
			.filter(([, child]) => child !== undefined)
			.map(([key, child]) => `${key}: ${formatRule(child)}`)
			.join(', ')}}`;
	}

	if (Array.isArray(value)) {
		return `[${value.map((child) => formatRule(child)).join(', ')}]`;
	}

	return formatValue(value);
}

/**
 * One line for the dashboard, in the order given: "temperature.max_c 80 -> 75, serial.baud_rate
 * 9600 -> 115200 (reconnects); after a restart: ui.max_fps 10 -> 5". Changes that wait for
 * a restart come last, under one heading, so none of them reads as applied.
 */
export function formatChanges(changes: readonly ConfigChange[]): string {
	const now = changes
		.filter((change) => change.effect !== 'restart')
		.map((change) =>
			change.effect === 'reconnect'
				? `${formatChange(change)} (reconnects)`
				: formatChange(change),
		);
	const later = changes
		.filter((change) => change.effect === 'restart')
		.map((change) => formatChange(change));
	return [
		now.join(', '),
		later.length > 0 ? `after a restart: ${later.join(', ')}` : '',
	]
		.filter((part) => part !== '')
		.join('; ');
}

/** Strings as they are (a port, a directory), everything else as YAML would show it (null). */
function formatValue(value: unknown): string {
	if (typeof value === 'string') {
		return value;
	}

	// Undefined: a key added or taken out (a rule, a device's option). Numbers read the
	// same as with String(): zod refuses NaN and the infinities.
	return JSON.stringify(value) ?? '(none)';
}

/** Equal numbers are no change, 0 and -0 included (and NaN, which the schema refuses anyway). */
// A list (alerts.sinks) is one leaf: equal when its items are, whatever the instance.
function sameLeaf(a: unknown, b: unknown): boolean {
	if (Array.isArray(a) && Array.isArray(b)) {
		return JSON.stringify(a) === JSON.stringify(b);
	}

	return a === b || Object.is(a, b);
}
