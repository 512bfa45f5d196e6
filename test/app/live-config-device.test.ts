// A live edit of a declared device's rules retunes the run; an edit of the device itself
// (its format, its fields) waits for a restart, and the rules written for it wait with it.
import {renameSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {
	detectorSettings,
	parseConfig,
	type Config,
} from '../../source/core/config.js';
import {
	formatChanges,
	type ConfigChange,
} from '../../source/core/config-diff.js';
import {
	watchLiveConfig,
	type LiveConfigEvent,
} from '../../source/app/live-config.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {waitUntil} from '../helpers/wait-until.js';

const device = (fields: string) =>
	`device:\n  format: pairs\n  fields:\n${fields}`;
const fields = '    - {name: humidity, key: hum}\n    - {name: temp}\n';
const rules = (crit: number) =>
	`rules:\n  - {field: humidity, above: {crit: ${crit}}}\n`;

function save(path: string, text: string) {
	writeFileSync(`${path}.tmp`, text);
	renameSync(`${path}.tmp`, path);
}

function setup(t: ExecutionContext, text: string) {
	const dir = temporaryDirectory(t, 'live-device');
	const path = join(dir, 'config.yaml');
	writeFileSync(path, text);
	const events: LiveConfigEvent[] = [];
	const retunes: Array<{config: Config; changes: readonly ConfigChange[]}> = [];
	const live = watchLiveConfig({
		config: parseConfig(text, path),
		path,
		overrides: {},
		session: {
			async retune(next, changes) {
				retunes.push({config: next, changes});
				return {port: next.serial.port, baud_rate: next.serial.baud_rate};
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

function applied(event: LiveConfigEvent | undefined) {
	if (event?.type !== 'applied') {
		throw new Error(
			`expected an 'applied' event, got ${JSON.stringify(event)}`,
		);
	}

	return event;
}

test('an edit of the rules retunes the run at once', async (t) => {
	const {path, live, events, retunes} = setup(t, device(fields) + rules(80));
	save(path, device(fields) + rules(70));
	await waitUntil(() => events.length > 0, 'the edit is seen');
	const event = applied(events[0]);
	t.deepEqual(
		event.changes.map(({path, before, after, effect}) => [
			path,
			before,
			after,
			effect,
		]),
		[['rules[THRESHOLD_BREACH_HUMIDITY].above.crit', 80, 70, 'live']],
	);
	t.is(
		formatChanges(event.changes),
		'rule THRESHOLD_BREACH_HUMIDITY: above.crit 80 -> 70',
	);
	t.deepEqual(
		detectorSettings(retunes[0]!.config).rules.map((rule) =>
			rule.kind === 'above' ? rule.crit : undefined,
		),
		[70],
		'the session judges by the new rule',
	);
	t.is(detectorSettings(live.current()).rules.length, 1);
	t.like(detectorSettings(live.current()).rules[0], {crit: 70});
});

test('a rule added, then all taken out: each retunes', async (t) => {
	const {path, live, events} = setup(t, device(fields));
	save(path, device(fields) + rules(80));
	await waitUntil(() => events.length > 0, 'the first edit is seen');
	t.deepEqual(
		applied(events[0]).changes.map(({path, effect}) => [path, effect]),
		[['rules[THRESHOLD_BREACH_HUMIDITY]', 'live']],
	);
	t.is(detectorSettings(live.current()).rules.length, 1);
	save(path, device(fields));
	await waitUntil(() => events.length > 1, 'the second edit is seen');
	t.is(
		formatChanges(applied(events[1]).changes),
		'rule removed: {field: humidity, above: {crit: 80}} (THRESHOLD_BREACH_HUMIDITY)',
	);
	t.deepEqual(detectorSettings(live.current()).rules, []);
	t.false('rules' in live.current(), 'no rules key, as a file without one');
});

test('an edit of the device waits for a restart, and the screen says so; its rules wait with it', async (t) => {
	const {path, live, events, retunes} = setup(t, device(fields) + rules(80));
	const before = detectorSettings(live.current());
	save(
		path,
		device('    - {name: humidity, key: h}\n    - {name: temp}\n') + rules(70),
	);
	await waitUntil(() => events.length > 0, 'the edit is seen');
	const event = applied(events[0]);
	t.deepEqual(
		event.changes.map(({path, effect}) => [path, effect]),
		[
			['device.fields[0].key', 'restart'],
			['rules[THRESHOLD_BREACH_HUMIDITY].above.crit', 'restart'],
		],
	);
	t.is(
		formatChanges(event.changes),
		'after a restart: device.fields[0].key hum -> h, rule THRESHOLD_BREACH_HUMIDITY: above.crit 80 -> 70',
	);
	t.deepEqual(detectorSettings(live.current()), before, 'nothing changed');
	t.deepEqual(
		detectorSettings(retunes[0]!.config),
		before,
		'the session keeps the device it parses, and its rules',
	);
});

test('a format change waits for a restart while thresholds still retune', async (t) => {
	const {path, live, events} = setup(t, device(fields));
	save(
		path,
		'device:\n  format: json\n  fields:\n' +
			fields +
			'thresholds:\n  heartbeat_timeout_s: 2\n',
	);
	await waitUntil(() => events.length > 0, 'the edit is seen');
	t.is(
		formatChanges(applied(events[0]).changes),
		'heartbeat_timeout_s 5 -> 2; after a restart: device.format pairs -> json',
	);
	t.is(detectorSettings(live.current()).heartbeat_timeout_s, 2);
	t.deepEqual(detectorSettings(live.current()).profile.format, {
		type: 'pairs',
		assign: ':=',
		separators: ', ;\t',
	});
});

test('an edit that declares a device on a built-in run waits for a restart, thresholds go on', async (t) => {
	const {path, live, events, retunes} = setup(t, '');
	save(path, device(fields) + rules(80));
	await waitUntil(() => events.length > 0, 'the edit is seen');
	t.true(
		applied(events[0]).changes.every((change) => change.effect === 'restart'),
	);
	const settings = detectorSettings(retunes[0]!.config);
	t.true(settings.profile.builtin, 'still the built-in device');
	t.deepEqual(
		settings.rules.map((rule) => rule.type),
		detectorSettings(live.current()).rules.map((rule) => rule.type),
	);
	t.is(settings.rules[0]?.type, 'THRESHOLD_BREACH_TEMP');
});
