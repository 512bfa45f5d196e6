import test from 'ava';
import {defaultConfig} from '../../source/core/config.js';
import {feedLines} from '../helpers/monitor-snapshot.js';
import {
	breachAndBack,
	normal,
	renderDashboard as setup,
} from '../helpers/render-dashboard.js';
import {waitUntil} from '../helpers/wait-until.js';

test('the screen shows the reading, both sparklines and the alert rows', (t) => {
	const {frame} = setup(t, breachAndBack);
	const screen = frame();
	t.regex(screen, /T 50\.00°C V 5\.00V status NORMAL/);
	t.regex(screen, /Temperature min 40\.00 max 86\.00 last 50\.00 °C/);
	t.regex(screen, /\(warn >70\.0 max >80\.0 Δ>15\.0\)/);
	t.regex(
		screen,
		/Voltage min 5\.00 max 5\.00 last 5\.00 V \(range 4\.50-5\.50\)/,
	);
	// Two lines of bars: 47 readings, one bar each.
	t.is(screen.match(/[▁▂▃▄▅▆▇█]{47}/g)?.length, 2);
	t.regex(
		screen,
		/CRIT +│ THRESHOLD_BREACH_TEMP +│ RESOLVED 0\.2s │ peak 86\.00°C > 80°C/,
	);
	t.regex(screen, /RAPID_CHANGE_TEMP +│ RESOLVED/);
	t.regex(screen, /Alerts 0 firing · \d+ listed/);
	t.regex(screen, /lines 47 .* parse errors 0 · config config\.yaml valid/);
	t.regex(
		screen,
		/p pause · r report · c clear resolved · l raw lines · ↑↓ PgUp PgDn scroll · \? help · q quit/,
	);
});

test('the newest alert is listed first and a firing one counts its duration on the clock', async (t) => {
	const {frame, setNow, time} = setup(t, [
		...breachAndBack,
		'T:95.0,V:5.0,S:CRITICAL_TEMP',
	]);
	setNow(time + 12_000);
	await waitUntil(
		() => frame().includes('FIRING 12s'),
		'the duration follows the clock',
	);
	const rows = frame()
		.split('\n')
		.filter((line) => line.startsWith('│ 1'));
	t.regex(rows[0]!, /FIRING 12s/);
	t.true(rows.some((row) => /THRESHOLD_BREACH_TEMP +│ FIRING 12s/.test(row)));
	t.regex(rows.at(-1)!, /RESOLVED/);
	t.regex(frame(), /Alerts 3 firing · 7 listed/);
});

test('the heartbeat age turns into SILENT past the timeout', async (t) => {
	const {frame, setNow, time} = setup(t, breachAndBack);
	t.regex(frame(), /last line 0\.0s ago/);
	t.notRegex(frame(), /SILENT/);
	setNow(time + (defaultConfig.thresholds.heartbeat_timeout_s + 2) * 1000);
	await waitUntil(() => frame().includes('SILENT'), 'the age updates');
	t.regex(frame(), /last line 7\.0s ago SILENT/);
});

test('p freezes the picture and counts the readings that arrive meanwhile; p again resumes', async (t) => {
	const lines = [...breachAndBack];
	const {frame, press, store} = setup(t, lines);
	await press('p');
	t.regex(frame(), /PAUSED \+0 readings/);
	const more = feedLines([...lines, normal(50), normal(51), normal(52)]);
	store.receive(more.state.snapshot(more.time));
	await waitUntil(() => frame().includes('PAUSED +3'), 'the count grows');
	t.regex(frame(), /T 50\.00°C/, 'the reading stays frozen');
	t.regex(frame(), /p resume/);
	await press('p');
	t.notRegex(frame(), /PAUSED/);
	t.regex(frame(), /T 52\.00°C/);
});

test('r asks the collector for the report; q and Ctrl+C ask it to stop, once', async (t) => {
	const {press, sent, frame} = setup(t, breachAndBack);
	await press('r', () => sent.length > 0);
	t.deepEqual(sent, [{type: 'report'}]);
	await press('q');
	// Handled as it is read: nothing to wait for.
	await press('\u0003', () => true);
	t.deepEqual(sent, [{type: 'report'}, {type: 'stop'}]);
	t.regex(frame(), /Stopping: flushing the files/);
});

test('Ctrl+C alone stops too', async (t) => {
	const {press, sent} = setup(t, breachAndBack);
	await press('\u0003', () => sent.length > 0);
	t.deepEqual(sent, [{type: 'stop'}]);
});

test('keys that arrive together each count', async (t) => {
	const {press, sent, frame} = setup(t, breachAndBack);
	await press('pr');
	t.regex(frame(), /PAUSED/);
	t.deepEqual(sent, [{type: 'report'}]);
});

test('c clears the resolved alerts from the view and keeps the firing ones', async (t) => {
	const {press, frame} = setup(t, [
		...breachAndBack,
		'T:95.0,V:5.0,S:CRITICAL_TEMP',
	]);
	t.regex(frame(), /RESOLVED/);
	await press('c');
	t.notRegex(frame(), /RESOLVED/);
	t.regex(frame(), /THRESHOLD_BREACH_TEMP +│ FIRING/);
});

test('? shows the help in place of the table and hides it again', async (t) => {
	const {press, frame} = setup(t, breachAndBack);
	await press('?');
	t.regex(
		frame(),
		/pause\/resume the display \(reading, logging and detection go on\)/,
	);
	t.regex(frame(), /Edit config\.yaml while this runs/);
	t.regex(
		frame(),
		/^l {10}show\/hide the last lines received, as raw\.log has them$/m,
	);
	t.notRegex(frame(), /THRESHOLD_BREACH_TEMP/);
	await press('?');
	t.regex(frame(), /THRESHOLD_BREACH_TEMP/);
});

test('the alert table scrolls by row and by page and stays within its rows', async (t) => {
	// A rapid change at every other reading, each one resolving: 30 rows, more than a 24-line screen holds.
	const swings = Array.from({length: 60}, (_, index) =>
		normal(index % 4 < 2 ? 20 : 40),
	);
	const {press, frame} = setup(t, swings);
	t.regex(frame(), /· 1-11 of \d+ \(↑↓ PgUp PgDn\)/);
	const total = Number(/of (\d+) \(/.exec(frame())![1]);
	await press('\u001B[B');
	t.regex(frame(), /· 2-12 of /);
	await press('\u001B[6~');
	t.regex(frame(), /· 13-23 of /);
	// Paging past the end stays at the end.
	const end = `· ${total - 10}-${total} of ${total}`;
	for (let page = 0; page < 3; page++) {
		// eslint-disable-next-line no-await-in-loop
		await press('\u001B[6~', () => frame().includes(end));
	}

	t.regex(frame(), new RegExp(end));
	await press('\u001B[A');
	t.regex(frame(), new RegExp(`· ${total - 11}-${total - 1} of `));
	for (let page = 0; page < 4; page++) {
		// eslint-disable-next-line no-await-in-loop
		await press('\u001B[5~', () => frame().includes('· 1-11 of '));
	}

	t.regex(frame(), /· 1-11 of /);
});

test('device text is shown escaped, never sent to the terminal', (t) => {
	const {frame} = setup(t, [
		normal(40),
		'T:40.0,V:5.0\u001B[2J\u001B]0;pwned\u0007',
	]);
	t.false(frame().includes('\u001B'), 'no escape byte reaches the screen');
	t.regex(frame(), /\\x1b\[2J\\x1b]0;pwned\\x07/);
});

test('an invalid config edit shows in the header and the notice line', async (t) => {
	const {frame, state, store, time} = setup(t, breachAndBack);
	state.configRejected(
		'config.yaml:4:5: thresholds.temperature.max_c: expected a number',
	);
	state.notice(
		'not applied: config.yaml:4:5: thresholds.temperature.max_c: expected a number',
		time,
		'error',
	);
	store.receive(state.snapshot(time));
	await waitUntil(() => frame().includes('INVALID'), 'the header says so');
	t.regex(frame(), /config config\.yaml INVALID, last valid kept/);
	t.regex(frame(), /not applied: config\.yaml:4:5/);
});

test('the layout follows the terminal size when it is resized', async (t) => {
	const {frame, ink} = setup(
		t,
		Array.from({length: 150}, (_, index) => normal(40 + (index % 7))),
	);
	// 100 columns: the last column is left empty, so 99 bars of the 120 kept.
	t.is(/[▁▂▃▄▅▆▇█]+/.exec(frame())?.[0].length, 99);
	Object.defineProperty(ink.stdout, 'columns', {get: () => 60});
	ink.stdout.emit('resize');
	await waitUntil(
		() => /[▁▂▃▄▅▆▇█]+/.exec(frame())?.[0].length === 59,
		'the sparkline narrows',
	);
	t.regex(frame(), /^Temperature min/m);
});

test('before the first reading the screen says it is waiting', (t) => {
	const {frame} = setup(t, []);
	t.regex(frame(), /waiting for the first reading · no line yet/);
	t.regex(frame(), /No alerts\./);
});

test('noise smaller than a third of max_change_c draws near the middle, not as full-height swings', (t) => {
	const {frame} = setup(
		t,
		Array.from({length: 40}, (_, index) => normal(index % 2 === 0 ? 50 : 50.2)),
	);
	const [temperature] = frame().match(/[▁▂▃▄▅▆▇█]{40}/g) ?? [];
	t.regex(temperature!, /^[▃▄▅]+$/);
});

test('narrow terminals: the keys fit on one line, the table drops its time column, and too small says so', async (t) => {
	const {frame, ink} = setup(t, breachAndBack);
	let columns = 70;
	Object.defineProperty(ink.stdout, 'columns', {get: () => columns});
	ink.stdout.emit('resize');
	await waitUntil(() => frame().includes('p r c l ↑↓ ? q'), 'the short footer');
	t.notRegex(frame(), /│ time/);
	t.regex(frame(), /│ sev +│ type/);
	t.true(
		frame()
			.split('\n')
			.every((line) => [...line].length < 70),
		'no line is wider than the terminal',
	);
	columns = 50;
	ink.stdout.emit('resize');
	await waitUntil(
		() => frame().includes('50x24 is too small'),
		'the too-small message',
	);
	t.regex(
		frame().replaceAll('\n', ' '),
		/the dashboard needs 60x16\. Logging goes on; q quits\./,
	);
});
