// What a live edit of config.yaml changed, key by key, and what it takes to apply each
// change: the detector and the store take thresholds, rules and history at once, the
// serial source reopens the port, and the rest is read only at start (the device's format
// and fields among them: the parser, the CSV and the checkpoint are built for one device).
import type {Config} from './config.js';
import {isPlainObject} from './plain-object.js';

export type ConfigEffect = 'live' | 'reconnect' | 'restart';

export type ConfigChange = {
	/**
	 * Dotted keys; thresholds without their section ("temperature.max_c"), the rest with it
	 * ("serial.baud_rate"); a rule or a device's field by its index ("rules[0].above.crit").
	 */
	path: string;
	before: unknown;
	after: unknown;
	effect: ConfigEffect;
};

// reconnect_interval_s is not among them: reopening a healthy port to change how often a
// lost one is retried would cost data for nothing.
const reconnectKeys = new Set(['serial.port', 'serial.baud_rate']);

// Lists compared item by item, so that an edit of one rule names that rule's key.
const listsByItem = new Set(['rules', 'device.fields']);

/**
 * One change per leaf key whose value differs, in the order of the schema. Rules retune
 * live, except with a change of the device, which waits for a restart: they are written
 * for its fields, so they wait with it.
 */
export function diffConfig(before: Config, after: Config): ConfigChange[] {
	const changes: ConfigChange[] = [];
	const walk = (keys: string[], a: unknown, b: unknown) => {
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

/** "temperature.max_c 80 -> 75" */
export function formatChange(change: ConfigChange): string {
	return `${change.path} ${formatValue(change.before)} -> ${formatValue(change.after)}`;
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
