// A declared device with a predict rule, small enough that its tour (which walks the rule:
// a ramp towards the crit level for window_s, then held level until the prediction resolves)
// plays in under a minute and a half at 10 lines/s.
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import type {ExecutionContext} from 'ava';
import {parseConfig} from '../../source/core/config.js';
import type {ExampleWorkspace} from './example-tour.js';
import {temporaryDirectory} from './temporary-directory.js';

export const predictRule =
	'  - {field: temperature, predict: {window_s: 20, horizon_s: 60}}';

/** The config's text; `rules` replaces the predict rule's line (none: no predict rule). */
export function kilnConfigText(
	dir: string,
	{rules = [predictRule]}: {rules?: string[]} = {},
): string {
	return [
		'serial:',
		`  port: ${join(dir, 'monitor-tty')}`,
		'  reconnect_interval_s: 0.2',
		'output:',
		`  dir: ${join(dir, 'data')}`,
		'device:',
		'  name: kiln',
		'  format: pairs',
		"  assign: ':'",
		"  separators: ','",
		'  fields:',
		'    - {name: temperature, key: temp, label: Temperature, unit: °C, range: [0, 100], decimals: 1}',
		'rules:',
		'  - {field: temperature, above: {warn: 60, crit: 70}}',
		...rules,
		'thresholds:',
		'  heartbeat_timeout_s: 3',
		'emulator:',
		`  port: ${join(dir, 'device-tty')}`,
		'  rate_hz: 10',
		'  scenario: tour',
		'  seed: 7',
		'',
	].join('\n');
}

export function kilnWorkspace(
	t: ExecutionContext,
	prefix = 'kiln',
): ExampleWorkspace {
	const dir = temporaryDirectory(t, prefix);
	const text = kilnConfigText(dir);
	const configPath = join(dir, 'config.yaml');
	writeFileSync(configPath, text);
	return {
		dir,
		configPath,
		config: parseConfig(text, configPath),
		device: join(dir, 'device-tty'),
		monitorSide: join(dir, 'monitor-tty'),
		data: join(dir, 'data'),
	};
}

/** serialwatch_predicted_breach_seconds{field="temperature"} in a /metrics text, +Inf as written, NaN if absent. */
export function predictedSeconds(text: string): number {
	const match =
		/^serialwatch_predicted_breach_seconds{[^}]*field="temperature"[^}]*} (\S+)$/m.exec(
			text,
		);
	const value = match?.[1];
	return value === undefined
		? Number.NaN
		: value === '+Inf'
			? Number.POSITIVE_INFINITY
			: Number(value);
}
