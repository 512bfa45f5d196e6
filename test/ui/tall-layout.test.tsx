import test from 'ava';
import {chartHeight} from '../../source/ui/dashboard.js';
import {
	breachAndBack,
	normal,
	renderDashboard,
} from '../helpers/render-dashboard.js';

test('charts grow with the height: one row up to 24 lines, then two of every five more, up to ten', (t) => {
	t.deepEqual(
		[16, 24, 26, 27, 30, 40, 50, 80].map((rows) => chartHeight(rows)),
		[1, 1, 1, 2, 3, 7, 10, 10],
	);
});

test('at 100x30 each chart has three rows with its scale at the left', async (t) => {
	const {screen, resize} = renderDashboard(
		t,
		Array.from({length: 12}, (_, index) => normal(index < 6 ? 40 : 80)),
	);
	await resize(100, 30);
	t.deepEqual(screen().slice(3, 11), [
		'Temperature min 40.00 max 80.00 last 80.00 °C (warn >70.0 max >80.0 Δ>15.0)',
		' 80.00 ┤      ██████',
		'       │      ██████',
		' 40.00 ┤▁▁▁▁▁▁██████',
		'Voltage min 5.00 max 5.00 last 5.00 V (range 4.50-5.50)',
		'  5.13 ┤',
		'       │▅▅▅▅▅▅▅▅▅▅▅▅',
		'  4.88 ┤████████████',
	]);
	t.is(screen().length, 30);
	t.regex(screen().at(-1)!, /^p pause/);
});

test('at 200x50 the screen is used: ten-row charts, and the table keeps its rows', async (t) => {
	const {screen, resize} = renderDashboard(t, breachAndBack);
	await resize(200, 50);
	const lines = screen();
	t.is(lines.length, 50);
	const temperature = lines.findIndex((line) => line.startsWith('Temperature'));
	t.regex(lines[temperature + 1]!, /^ 86\.00 ┤/);
	t.regex(lines[temperature + 10]!, /^ 40\.00 ┤/);
	t.regex(lines[temperature + 11]!, /^Voltage/);
	t.regex(lines.at(-1)!, /^p pause/);
	// Every alert listed shows; the rest is room for more.
	t.is(lines.filter((line) => line.startsWith('│ 10:00')).length, 4);
});

test('l shows the last lines as received, numbered as in raw.log, escaped; l again goes back', async (t) => {
	const bytes = Uint8Array.from([
		...new TextEncoder().encode('T:4\u001B[2J'),
		0xff,
		0x0d,
	]);
	const {screen, press, frame} = renderDashboard(t, [
		...breachAndBack,
		bytes,
		'T:50.0,V:5.0,S:NORMAL',
	]);
	await press('l');
	const title = screen().findIndex((line) => line.startsWith('Raw lines'));
	t.deepEqual(screen().slice(title), [
		'Raw lines, newest last: raw.log line, time received, the line · l: alerts',
		'36 10:00:03.600 T:42.0,V:5.0,S:NORMAL',
		'37 10:00:03.700 T:40.0,V:5.0,S:NORMAL',
		'38 10:00:03.800 T:41.0,V:5.0,S:NORMAL',
		'39 10:00:03.900 T:42.0,V:5.0,S:NORMAL',
		'40 10:00:04.000 T:40.0,V:5.0,S:NORMAL',
		'41 10:00:04.100 T:85.0,V:5.0,S:CRITICAL_TEMP',
		'42 10:00:04.200 T:86.0,V:5.0,S:CRITICAL_TEMP',
		'43 10:00:04.300 T:50.0,V:5.0,S:NORMAL',
		'44 10:00:04.400 T:50.0,V:5.0,S:NORMAL',
		'45 10:00:04.500 T:50.0,V:5.0,S:NORMAL',
		'46 10:00:04.600 T:50.0,V:5.0,S:NORMAL',
		'47 10:00:04.700 T:50.0,V:5.0,S:NORMAL',
		String.raw`48 10:00:04.800 T:4\x1b[2J\xff\x0d`,
		'49 10:00:04.900 T:50.0,V:5.0,S:NORMAL',
		'p pause · r report · c clear resolved · l alerts · ↑↓ PgUp PgDn scroll · ? help · q quit',
	]);
	t.false(frame().includes('\u001B'));
	await press('l');
	t.true(screen().some((line) => line.startsWith('Alerts ')));
	t.false(screen().some((line) => line.startsWith('Raw lines')));
});
