import {renameSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {defaultConfig, type Config} from '../../source/core/config.js';
import type {ConfigChange} from '../../source/core/config-diff.js';
import {applyMonitorOverrides} from '../../source/core/config-overrides.js';
import {
	watchLiveConfig,
	type LiveConfigEvent,
} from '../../source/app/live-config.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {waitUntil} from '../helpers/wait-until.js';

/** Saves as editors do: a new file renamed over the old one. */
function save(path: string, text: string) {
	writeFileSync(`${path}.tmp`, text);
	renameSync(`${path}.tmp`, path);
}

function setup(
	t: ExecutionContext,
	options: {
		overrides?: {port?: string};
		/** What the session says is in effect after a reconnect. */
		serialAfter?: (next: Config) => {port: string; baud_rate: number};
	} = {},
) {
	const dir = temporaryDirectory(t, 'live');
	const path = join(dir, 'config.yaml');
	writeFileSync(path, 'serial:\n  port: /dev/ttyA\n');
	// As the command line makes it: the file, then the flags over it.
	const config: Config = applyMonitorOverrides(
		{...defaultConfig, serial: {...defaultConfig.serial, port: '/dev/ttyA'}},
		options.overrides ?? {},
	);
	const events: LiveConfigEvent[] = [];
	const retunes: Array<{config: Config; changes: readonly ConfigChange[]}> = [];
	const live = watchLiveConfig({
		config,
		path,
		overrides: options.overrides ?? {},
		session: {
			async retune(next, changes) {
				retunes.push({config: next, changes});
				return (
					options.serialAfter?.(next) ?? {
						port: next.serial.port,
						baud_rate: next.serial.baud_rate,
					}
				);
			},
		},
		onEvent(event) {
			events.push(event);
		},
		watchOptions: {debounceMs: 30},
	});
	t.teardown(() => {
		live.close();
	});
	return {path, live, events, retunes};
}

/** The event, as the kind the test expects; anything else fails the test. */
function as<Type extends LiveConfigEvent['type']>(
	event: LiveConfigEvent | undefined,
	type: Type,
): Extract<LiveConfigEvent, {type: Type}> {
	if (event?.type !== type) {
		throw new Error(`expected a '${type}' event, got ${JSON.stringify(event)}`);
	}

	// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- checked just above
	return event as Extract<LiveConfigEvent, {type: Type}>;
}

test('a valid edit retunes the session and becomes the config in effect; the change is named', async (t) => {
	const {path, live, events, retunes} = setup(t);
	save(
		path,
		'serial:\n  port: /dev/ttyA\nthresholds:\n  temperature:\n    max_c: 75\n',
	);
	await waitUntil(() => events.length > 0, 'the edit is seen');
	const event = as(events[0], 'applied');
	t.deepEqual(
		event.changes.map(({path, before, after, effect}) => ({
			path,
			before,
			after,
			effect,
		})),
		[
			{
				path: 'temperature.max_c',
				before: 80,
				after: 75,
				effect: 'live',
			},
		],
	);
	t.deepEqual(event.warnings, []);

	t.is(retunes[0]?.config.thresholds.temperature.max_c, 75);
	t.is(live.current().thresholds.temperature.max_c, 75);
});

test('an invalid edit is refused with its line and changes nothing', async (t) => {
	const {path, live, events, retunes} = setup(t);
	save(path, 'thresholds:\n  temperature:\n    max_c: hot\n');
	await waitUntil(() => events.length > 0, 'the edit is seen');
	t.regex(
		as(events[0], 'rejected').message,
		/config\.yaml:3:\d+: thresholds\.temperature\.max_c/,
	);

	t.is(retunes.length, 0);
	t.is(live.current().thresholds.temperature.max_c, 80);
});

test('a warning band turned off by an edit applies, with a warning', async (t) => {
	const {path, events} = setup(t);
	save(path, 'thresholds:\n  temperature:\n    max_c: 60\n');
	await waitUntil(() => events.length > 0, 'the edit is seen');
	t.regex(
		as(events[0], 'applied').warnings.join('\n'),
		/config\.yaml:3:\d+: .*warning band is off/,
	);
});

test('flags still win over the file; the port in effect follows the session', async (t) => {
	const {path, live, events, retunes} = setup(t, {
		overrides: {port: '/dev/ttyFLAG'},
	});
	save(path, 'serial:\n  port: /dev/ttyB\n  baud_rate: 9600\n');
	await waitUntil(() => events.length > 0, 'the reconnect');
	t.is(retunes[0]?.config.serial.port, '/dev/ttyFLAG', 'the flag wins');
	t.is(as(events[0], 'applied').config.serial.baud_rate, 9600);
	t.is(live.current().serial.baud_rate, 9600);
});

test('a port the session could not move to stays out of the config in effect', async (t) => {
	const {path, live, events, retunes} = setup(t, {
		// The session went back to where it was.
		serialAfter: () => ({port: '/dev/ttyA', baud_rate: 115_200}),
	});
	save(path, 'serial:\n  port: /dev/ttyB\n');
	await waitUntil(() => retunes.length > 0, 'the retune');
	await waitUntil(() => events.length > 0, 'the edit is announced');
	const applied = as(events[0], 'applied');
	t.deepEqual(applied.changes, []);
	t.deepEqual(
		applied.refused.map(({path, after}) => [path, after]),
		[['serial.port', '/dev/ttyB']],
		'the port it stayed off is named, not announced as changed',
	);
	t.is(live.current().serial.port, '/dev/ttyA');
});

test('an edit of a key a flag holds changes nothing, and says which flag holds it', async (t) => {
	const {path, events, live} = setup(t, {overrides: {port: '/dev/ttyFLAG'}});
	save(path, 'serial:\n  port: /dev/ttyB\n');
	await waitUntil(() => events.length > 0, 'the edit is seen');
	const applied = as(events[0], 'applied');
	t.deepEqual(applied.changes, []);
	t.deepEqual(
		applied.overridden.map(({change, flag}) => [
			change.path,
			change.before,
			change.after,
			flag,
		]),
		[['serial.port', '/dev/ttyA', '/dev/ttyB', '--port']],
	);
	t.is(live.current().serial.port, '/dev/ttyFLAG');
});
