// The headless monitor on a real socat pair, live: retuned by an edit of config.yaml while
// it runs, and started before its device exists.
import {existsSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {createVirtualPair} from '../../source/adapters/virtual-pair.js';
import {startCli, stopOnTeardown} from '../helpers/cli.js';
import {readJson} from '../helpers/json.js';
import {portWorkspace, sendLines} from '../helpers/port-workspace.js';
import {escapeRegExp} from '../helpers/escape-regexp.js';
import {requireSocat} from '../helpers/socat.js';
import {waitUntil} from '../helpers/wait-until.js';

// No warning band, so that a reading between the two limits breaches only the new one; a
// heartbeat timeout no pause of the test reaches.
const thresholds = (maxC: number | string) =>
	[
		'thresholds:',
		'  temperature:',
		`    max_c: ${maxC}`,
		'    warn_c: null',
		'  heartbeat_timeout_s: 600',
		'',
	].join('\n');

/** As vim saves: a new file renamed over the old one. */
function saveAsEditorsDo(path: string, text: string) {
	writeFileSync(`${path}.tmp`, text);
	renameSync(`${path}.tmp`, path);
}

type Event = {
	event: string;
	type?: string;
	severity?: string;
	description?: string;
	changes?: Array<{
		key: string;
		before: unknown;
		after: unknown;
		effect: string;
	}>;
};

const events = (stdout: string) =>
	stdout
		.split('\n')
		.filter(Boolean)
		.map((line) => readJson<Event>(line, {text: true}));

const breaches = (stdout: string, event: string) =>
	events(stdout).filter(
		(entry) => entry.event === event && entry.type === 'THRESHOLD_BREACH_TEMP',
	);

test.serial(
	'headless on a socat pair, retuned by saving config.yaml: a config line on stdout, the new limit applies to the next reading; an invalid edit is refused by line and the run goes on',
	async (t) => {
		if (!requireSocat(t)) {
			return;
		}

		const workspace = portWorkspace(t, 'live', {sections: thresholds(80)});
		const base = readFileSync(workspace.configPath, 'utf8').replace(
			thresholds(80),
			'',
		);
		const pair = await createVirtualPair(
			workspace.device,
			workspace.monitorSide,
		);
		t.teardown(async () => pair.close());
		const monitor = stopOnTeardown(
			t,
			startCli(['--headless', '--config', workspace.configPath]),
		);
		await monitor.waitFor(/listening on/);
		const logged = async (count: number) =>
			waitUntil(
				() => workspace.rawLines().length >= count,
				`raw.log holds ${count} lines; stderr:\n${monitor.stderr()}`,
			);

		// 77 °C is within 80: nothing fires.
		await sendLines(workspace.device, ['T:77.0,V:5.0,S:NORMAL']);
		await logged(1);

		saveAsEditorsDo(workspace.configPath, base + thresholds(75));
		await monitor.waitFor(/"event":"config"/);
		const [config, ...others] = events(monitor.stdout());
		t.deepEqual(others, [], 'no event before the edit: 77 °C was within 80');
		t.deepEqual(config?.changes, [
			{
				key: 'temperature.max_c',
				before: 80,
				after: 75,
				effect: 'live',
			},
		]);

		// The same reading now breaches the new limit.
		await sendLines(workspace.device, ['T:77.0,V:5.0,S:NORMAL']);
		await monitor.waitFor(
			/"event":"fired",[^\n]*"type":"THRESHOLD_BREACH_TEMP"/,
		);
		const [fired] = breaches(monitor.stdout(), 'fired');
		t.is(fired?.severity, 'CRITICAL');
		t.regex(fired?.description ?? '', /77\.00°C exceeded threshold of 75\.0°C/);

		// An invalid edit: refused on stderr by file, line and key; nothing changes.
		const invalid = base + thresholds('hot');
		const line =
			invalid.split('\n').findIndex((text) => text.includes('max_c')) + 1;
		saveAsEditorsDo(workspace.configPath, invalid);
		await monitor.waitFor(/config edit not applied/);
		t.regex(
			monitor.stderr(),
			new RegExp(
				String.raw`${escapeRegExp(workspace.configPath)}:${line}:\d+: thresholds\.temperature\.max_c: `,
			),
		);

		// The run goes on, with 75 still in effect: it resolves below 75, fires again above.
		await sendLines(workspace.device, ['T:70.0,V:5.0,S:NORMAL']);
		await monitor.waitFor(
			/"event":"resolved",[^\n]*"type":"THRESHOLD_BREACH_TEMP"/,
		);
		await sendLines(workspace.device, ['T:77.0,V:5.0,S:NORMAL']);
		await waitUntil(
			() => breaches(monitor.stdout(), 'fired').length === 2,
			`a second breach of 75; stdout:\n${monitor.stdout()}`,
		);
		t.is(
			events(monitor.stdout()).filter((entry) => entry.event === 'config')
				.length,
			1,
			'the refused edit printed no config line',
		);

		monitor.child.kill('SIGINT');
		t.is(await monitor.exited, 0, `${monitor.stderr()}`);
		t.is(workspace.rawLines().length, 4);
		const report = readJson<Array<{type: string}>>(workspace.report);
		t.is(
			report.filter((entry) => entry.type === 'THRESHOLD_BREACH_TEMP').length,
			2,
		);
	},
);

test.serial(
	'headless, the port not there yet: it says it waits, then reads the pair created at that path; with --no-wait it exits 1 at once naming the port',
	async (t) => {
		if (!requireSocat(t)) {
			return;
		}

		const workspace = portWorkspace(t, 'wait');
		const monitor = stopOnTeardown(
			t,
			startCli(['--headless', '--config', workspace.configPath]),
		);
		await monitor.waitFor(/serialwatch: waiting for/);
		t.true(
			monitor
				.stderr()
				.includes(
					`serialwatch: waiting for ${workspace.monitorSide} (not present; serialwatch ports lists the ports)\n`,
				),
			`${monitor.stderr()}`,
		);
		t.is(monitor.child.exitCode, null, 'it waits, it does not exit');

		const pair = await createVirtualPair(
			workspace.device,
			workspace.monitorSide,
		);
		t.teardown(async () => pair.close());
		await monitor.waitFor(
			new RegExp(`listening on ${escapeRegExp(workspace.monitorSide)}`),
		);
		const lines = ['T:25.0,V:5.0,S:NORMAL', 'T:25.5,V:5.1,S:NORMAL'];
		await sendLines(workspace.device, lines);
		await waitUntil(
			() => workspace.rawLines().length >= lines.length,
			`raw.log holds both lines; stderr:\n${monitor.stderr()}`,
		);
		t.deepEqual(workspace.rawLines(), lines);
		monitor.child.kill('SIGINT');
		t.is(await monitor.exited, 0, `${monitor.stderr()}`);
		t.is(monitor.stdout(), '', 'waiting for the device is no incident');

		// --no-wait: the same config, a port that is not there.
		const missing = join(workspace.dir, 'not-plugged-in');
		const noWait = stopOnTeardown(
			t,
			startCli([
				'--headless',
				'--config',
				workspace.configPath,
				'--port',
				missing,
				'--no-wait',
				'--out',
				join(workspace.dir, 'no-wait'),
			]),
		);
		// 'close' comes once stderr is read to its end, which 'exit' may precede.
		const closed = new Promise((resolve) => {
			noWait.child.once('close', resolve);
		});
		// At once means without waiting: a monitor that waits says so, and never exits.
		const outcome = await Promise.race([
			noWait.exited.then((code) => ({code})),
			noWait.waitFor(/waiting for/).then(() => 'waits' as const),
		]);
		t.deepEqual(outcome, {code: 1}, `${noWait.stderr()}`);
		await closed;
		t.true(
			noWait.stderr().includes(`Cannot open serial port ${missing}: `),
			`${noWait.stderr()}`,
		);
		t.notRegex(noWait.stderr(), /waiting for/);
		t.false(existsSync(join(workspace.dir, 'no-wait', '.serialwatch.lock')));
	},
);

// The rules of examples/arduino-plotter.yaml; `extra` goes at the top of the list.
const plotterSections = (extra: string[], crit = 35) =>
	[
		'device:',
		'  format: pairs',
		"  assign: ':='",
		'  fields:',
		'    - {name: temperature, key: temp, range: [-40, 125], decimals: 2}',
		'    - {name: humidity, key: hum, range: [0, 100], decimals: 1}',
		'rules:',
		...extra,
		`  - {field: temperature, above: {warn: 30, crit: ${crit}}, for_s: 10, clear_margin: 0.5}`,
		'  - {field: temperature, change: {max: 2}}',
		'  - {field: humidity, below: {crit: 20}}',
		'  - {field: humidity, outside: [30, 80], severity: WARNING}',
		'thresholds:',
		'  heartbeat_timeout_s: 600',
		'',
	].join('\n');

test.serial(
	'headless on a socat pair, a rule inserted at the top of rules: is one rule added, by its incident type; the rules below it go on, and an edit of one names it',
	async (t) => {
		if (!requireSocat(t)) {
			return;
		}

		const workspace = portWorkspace(t, 'live-rules', {
			sections: plotterSections([]),
		});
		const base = readFileSync(workspace.configPath, 'utf8').replace(
			plotterSections([]),
			'',
		);
		const pair = await createVirtualPair(
			workspace.device,
			workspace.monitorSide,
		);
		t.teardown(async () => pair.close());
		const monitor = stopOnTeardown(
			t,
			startCli(['--headless', '--config', workspace.configPath]),
		);
		await monitor.waitFor(/listening on/);
		await sendLines(workspace.device, ['temp:23.00,hum:45.0']);
		await waitUntil(
			() => workspace.rawLines().length > 0,
			`raw.log holds the first line; stderr:\n${monitor.stderr()}`,
		);

		const inserted = ['  - {field: humidity, change: {max: 50}}'];
		saveAsEditorsDo(workspace.configPath, base + plotterSections(inserted));
		await monitor.waitFor(/"event":"config"/);
		const configs = () =>
			events(monitor.stdout()).filter((entry) => entry.event === 'config');
		t.deepEqual(configs()[0]?.changes, [
			{
				// JSON has no undefined: an added rule has no before.
				key: 'rules[RAPID_CHANGE_HUMIDITY]',
				after: {field: 'humidity', change: {max: 50}},
				effect: 'live',
			},
		]);

		// The new rule (from its first reading: it is made afresh) and an old one both judge.
		await sendLines(workspace.device, [
			'temp:23.00,hum:45.0',
			'temp:23.00,hum:99.0',
		]);
		await waitUntil(
			() =>
				['RAPID_CHANGE_HUMIDITY', 'THRESHOLD_BREACH_HUMIDITY'].every((type) =>
					events(monitor.stdout()).some(
						(entry) => entry.event === 'fired' && entry.type === type,
					),
				),
			`the new and an old rule fire; stdout:\n${monitor.stdout()}\nstderr:\n${monitor.stderr()}`,
		);

		saveAsEditorsDo(workspace.configPath, base + plotterSections(inserted, 33));
		await waitUntil(
			() => configs().length === 2,
			`a second config line; stdout:\n${monitor.stdout()}`,
		);
		t.deepEqual(configs()[1]?.changes, [
			{
				key: 'rules[THRESHOLD_BREACH_TEMPERATURE].above.crit',
				before: 35,
				after: 33,
				effect: 'live',
			},
		]);

		monitor.child.kill('SIGINT');
		t.is(await monitor.exited, 0, `${monitor.stderr()}`);
	},
);
