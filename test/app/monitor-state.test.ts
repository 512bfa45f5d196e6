import test from 'ava';
import {defaultConfig, detectorSettings} from '../../source/core/config.js';
import type {IncidentEvent, ReportEntry} from '../../source/core/incident.js';
import {
	createMonitorState,
	maxAlertRows,
	rawLinesKept,
} from '../../source/app/monitor-state.js';
import {feedLines, startedAt} from '../helpers/monitor-snapshot.js';

const normal = (temperature: number) =>
	`T:${temperature.toFixed(1)},V:5.0,S:NORMAL`;

function entry(index: number, end: string | null): ReportEntry {
	return {
		timestamp: new Date(startedAt + index * 1000).toISOString(),
		type: 'RAPID_CHANGE_TEMP',
		severity: 'WARNING',
		description: `change ${index}`,
		id: `rapid-${index}`,
		end,
		value: 20,
		peak: 20,
		threshold: 15,
		readings: 1,
		first_line: index,
		last_line: index,
	};
}

/** A state with the default config and nothing fed yet. */
function newState(
	options: Partial<Parameters<typeof createMonitorState>[0]> = {},
) {
	const settings = detectorSettings(defaultConfig);
	return createMonitorState({
		config: defaultConfig,
		profile: settings.profile,
		settings,
		configPath: 'config.yaml',
		configSource: 'file',
		demo: false,
		startedAt,
		reportPath: 'r.json',
		lineCounts: () => ({lines: 0, valid: 0, malformed: 0}),
		...options,
	});
}

test('counts lines, keeps the last reading and the history to history_points', (t) => {
	const config = {
		...defaultConfig,
		ui: {...defaultConfig.ui, history_points: 50},
	};
	const lines = Array.from({length: 130}, (_, index) =>
		normal(20 + (index % 10)),
	);
	lines.push('garbage');
	const {state, time} = feedLines(lines, {config});
	const snapshot = state.snapshot(time);
	t.is(snapshot.lines, 131);
	t.is(snapshot.valid, 130);
	t.is(snapshot.malformed, 1);
	t.deepEqual(
		snapshot.history.map((values) => values.length),
		[50, 50, 0],
	);
	t.is(snapshot.history[0]!.at(-1), 29);
	t.deepEqual(snapshot.last?.values, [29, 5, 'NORMAL']);
	t.deepEqual(snapshot.last?.levels, [undefined, undefined, 'NORMAL']);
	t.is(snapshot.lastLineAt, time);
	t.is(snapshot.lastBadLine?.text, 'garbage');
	t.is(snapshot.historyPoints, 50);
});

test('the rate is lines per second over the last whole seconds', (t) => {
	// 20 lines a second for 10 seconds.
	const {state, time} = feedLines(
		Array.from({length: 200}, () => normal(30)),
		{stepMs: 50},
	);
	t.is(state.snapshot(time + 1).rate, 20);
	// Silent for long: nothing in the window.
	t.is(state.snapshot(time + 10_000).rate, 0);
});

test('alerts are newest first, updated in place by later events of the same incident', (t) => {
	const state = newState();
	const fired = (index: number): IncidentEvent => ({
		event: 'fired',
		at: '2026-01-01T00:00:00.000Z',
		incident: entry(index, null),
	});
	state.onEvents([fired(1), fired(2)]);
	state.onEvents([
		{
			event: 'resolved',
			at: '2026-01-01T00:00:00.000Z',
			incident: entry(1, new Date(startedAt + 5000).toISOString()),
		},
	]);
	const {alerts} = state.snapshot(startedAt + 6000);
	t.deepEqual(
		alerts.map((row) => [row.id, row.end]),
		[
			['rapid-2', null],
			['rapid-1', startedAt + 5000],
		],
	);
});

test('the alert history is bounded, and the oldest resolved row goes first', (t) => {
	const state = newState();
	state.onEvents([
		{event: 'fired', at: '2026-01-01T00:00:00.000Z', incident: entry(0, null)},
	]);
	for (let index = 1; index <= maxAlertRows + 10; index++) {
		state.onEvents([
			{
				event: 'resolved',
				at: '2026-01-01T00:00:00.000Z',
				incident: entry(index, new Date(startedAt).toISOString()),
			},
		]);
	}

	const snapshot = state.snapshot(startedAt);
	t.is(snapshot.alerts.length, maxAlertRows);
	t.is(snapshot.alertsDropped, 11);
	t.is(snapshot.alerts[0]!.id, `rapid-${maxAlertRows + 10}`);
	// The firing one from before is kept although it is the oldest.
	t.is(snapshot.alerts.at(-1)!.id, 'rapid-0');
	t.is(snapshot.alerts.at(-2)!.id, 'rapid-12');
});

test('refreshActive updates open incidents it already lists, and adds none', (t) => {
	const state = newState();
	state.onEvents([
		{event: 'fired', at: '2026-01-01T00:00:00.000Z', incident: entry(1, null)},
	]);
	state.refreshActive([
		{...entry(1, null), description: 'grown'},
		entry(2, null),
	]);
	t.deepEqual(
		state.snapshot(startedAt).alerts.map((row) => row.description),
		['grown'],
	);
});

test('connection: connecting, connected, then reconnecting since the loss', (t) => {
	const state = newState();
	t.is(state.snapshot(startedAt).connection.state, 'connecting');
	state.onStatus({state: 'open', path: '/dev/ttyUSB0'}, startedAt + 1);
	t.deepEqual(state.snapshot(startedAt).connection, {
		state: 'connected',
		path: '/dev/ttyUSB0',
		since: startedAt + 1,
	});
	state.onStatus(
		{state: 'lost', path: '/dev/ttyUSB0', reason: 'gone'},
		startedAt + 2,
	);
	state.onStatus(
		{state: 'retrying', path: '/dev/ttyUSB0', reason: 'ENOENT', missing: true},
		startedAt + 4,
	);
	t.deepEqual(state.snapshot(startedAt).connection, {
		state: 'reconnecting',
		path: '/dev/ttyUSB0',
		since: startedAt + 2,
		reason: 'ENOENT',
	});
});

test('a config applied changes the thresholds and port shown; a rejected one marks it invalid until the next valid one', (t) => {
	const {state, time} = feedLines([normal(30)]);
	const next = {
		...defaultConfig,
		serial: {...defaultConfig.serial, port: '/dev/ttyUSB1'},
		thresholds: {
			...defaultConfig.thresholds,
			temperature: {...defaultConfig.thresholds.temperature, max_c: 75},
		},
	};
	state.configRejected('config.yaml:3:1: bad');
	t.deepEqual(state.snapshot(time).config, {
		path: 'config.yaml',
		source: 'file',
		valid: false,
		error: 'config.yaml:3:1: bad',
	});
	state.configApplied(next, detectorSettings(next));
	const snapshot = state.snapshot(time);
	t.true(snapshot.config.valid);
	t.like(snapshot.fields[0], {bands: [{kind: 'above', warn: 70, crit: 75}]});
	t.is(snapshot.source.port, '/dev/ttyUSB1');
});

test('device text in alerts is escaped', (t) => {
	const state = newState({demo: true});
	state.onEvents([
		{
			event: 'fired',
			at: '2026-01-01T00:00:00.000Z',
			incident: {
				...entry(1, null),
				description: 'bad \u001B[2J',
				peak: '\u0007',
			},
		},
	]);
	const [row] = state.snapshot(startedAt).alerts;
	t.is(row!.description, String.raw`bad \x1b[2J`);
	t.is(row!.peak, String.raw`\x07`);
});

test("the line counts are the pipeline's, read when the snapshot is taken", (t) => {
	const counts = {lines: 0, valid: 0, malformed: 0};
	const state = newState({lineCounts: () => counts});
	// Readings fed here move the rate and the heartbeat, not the totals.
	state.onReadings([
		{
			time: startedAt + 100,
			reading: {values: [20, 5, 'NORMAL'], level: 'NORMAL'},
		},
	]);
	t.like(state.snapshot(startedAt + 200), {
		lines: 0,
		valid: 0,
		malformed: 0,
		lastLineAt: startedAt + 100,
	});
	counts.lines = 7;
	counts.valid = 5;
	counts.malformed = 2;
	t.like(state.snapshot(startedAt + 200), {lines: 7, valid: 5, malformed: 2});
});

test('raw lines: the last 200 as received, numbered, escaped, a long one cut', (t) => {
	const state = newState();
	const encoder = new TextEncoder();
	const batch = (from: number, count: number) =>
		Array.from({length: count}, (_, index) =>
			encoder.encode(`line ${from + index}`),
		);
	t.deepEqual(state.snapshot(startedAt).rawLines, []);
	state.onRawLines(startedAt + 1, 1, batch(1, 150));
	state.onRawLines(startedAt + 2, 151, batch(151, 150));
	// A batch larger than what is kept keeps its own last lines.
	state.onRawLines(startedAt + 3, 301, [
		...batch(301, rawLinesKept),
		Uint8Array.from([0x41, 0x1b, 0xff, 0x0d]),
		encoder.encode('x'.repeat(1000)),
	]);
	const {rawLines} = state.snapshot(startedAt + 4);
	t.is(rawLines.length, rawLinesKept);
	t.deepEqual(rawLines[0], {
		line: 303,
		time: startedAt + 3,
		text: 'line 303',
	});
	t.deepEqual(rawLines.at(-2), {
		line: 501,
		time: startedAt + 3,
		text: String.raw`A\x1b\xff\x0d`,
	});
	t.is(rawLines.at(-1)!.line, 502);
	t.is(rawLines.at(-1)!.text, `${'x'.repeat(256)}…`);
	// The same again: nothing new, the same lines.
	t.deepEqual(state.snapshot(startedAt + 5).rawLines, rawLines);
	// Escapes do not make a line longer on screen than a plain one.
	state.onRawLines(startedAt + 4, 503, [new Uint8Array(1000).fill(0x1b)]);
	t.is(
		state.snapshot(startedAt + 4).rawLines.at(-1)!.text,
		`${String.raw`\x1b`.repeat(64)}…`,
	);
});

test('raw lines are copied: a buffer the caller reuses does not change them', (t) => {
	const state = newState();
	const chunk = new TextEncoder().encode('T:1,V:2,S:NORMAL\nnext');
	state.onRawLines(startedAt, 1, [chunk.subarray(0, 16)]);
	chunk.fill(0x3f);
	t.is(state.snapshot(startedAt).rawLines[0]!.text, 'T:1,V:2,S:NORMAL');
});

test('the config source: the built-in defaults until a file is edited in', (t) => {
	const state = newState({configSource: 'defaults'});
	t.is(state.snapshot(startedAt).config.source, 'defaults');
	state.configRejected('config.yaml:1:1: bad');
	t.like(state.snapshot(startedAt).config, {source: 'file', valid: false});
	const fresh = newState({configSource: 'defaults'});
	fresh.configApplied(defaultConfig, detectorSettings(defaultConfig));
	t.like(fresh.snapshot(startedAt).config, {source: 'file', valid: true});
});

test('waiting for a port counts from the first wait, and anew for another port', (t) => {
	const state = newState();
	state.onStatus({state: 'waiting', path: '/dev/ttyUSB0'}, startedAt + 1);
	state.onStatus({state: 'waiting', path: '/dev/ttyUSB0'}, startedAt + 2);
	t.deepEqual(state.snapshot(startedAt).connection, {
		state: 'waiting',
		path: '/dev/ttyUSB0',
		since: startedAt + 1,
	});
	state.onStatus({state: 'waiting', path: '/dev/ttyUSB1'}, startedAt + 3);
	t.deepEqual(state.snapshot(startedAt).connection, {
		state: 'waiting',
		path: '/dev/ttyUSB1',
		since: startedAt + 3,
	});
});
