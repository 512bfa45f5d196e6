import test from 'ava';
import {breachAndBack, renderDashboard} from '../helpers/render-dashboard.js';

/** A temperature breach, then a voltage one: the two longest rule names. */
const bothBreaches = [
	...breachAndBack,
	'T:50.0,V:5.7,S:CRITICAL_OVERVOLT',
	'T:50.0,V:5.0,S:NORMAL',
];

const tableLines = (screen: string[]) =>
	screen.filter((line) => /^[┌│└]/.test(line));

test("the rule is the report's name at every width; the other columns give way", async (t) => {
	const {screen, resize} = renderDashboard(t, bothBreaches);
	await resize(80, 24);
	t.deepEqual(tableLines(screen()), [
		'┌──────┬──────────────────────────┬───────────────┬──────────────────────────┐',
		'│ sev  │ type                     │ state         │ description              │',
		'│ CRIT │ DEVICE_STATUS            │ RESOLVED 0.1s │ status CRITICAL_OVERVOLT │',
		'│ CRIT │ THRESHOLD_BREACH_VOLTAGE │ RESOLVED 0.1s │ peak 5.70V, limit 5.5V   │',
		'│ WARN │ RAPID_CHANGE_TEMP        │ RESOLVED 0.1s │ Δ-36.00°C > 15°C         │',
		'│ CRIT │ DEVICE_STATUS            │ RESOLVED 0.2s │ status CRITICAL_TEMP     │',
		'│ WARN │ RAPID_CHANGE_TEMP        │ RESOLVED 0.1s │ Δ45.00°C > 15°C          │',
		'│ CRIT │ THRESHOLD_BREACH_TEMP    │ RESOLVED 0.2s │ peak 86.00°C > 80°C      │',
		'└──────┴──────────────────────────┴───────────────┴──────────────────────────┘',
	]);
	await resize(100, 24);
	t.regex(
		screen().join('\n'),
		/│ 10:00:04 │ CRIT │ THRESHOLD_BREACH_TEMP +│ RESOLVED 0\.2s │ peak 86\.00°C > 80°C +│/,
	);
	await resize(120, 24);
	t.regex(
		screen().join('\n'),
		/│ 10:00:04 │ CRITICAL │ THRESHOLD_BREACH_TEMP +│ RESOLVED 0\.2s │ Temperature 86\.00°C exceeded threshold of 80\.0°C\. +│/,
	);
	// At the narrowest, the description goes before the name is shortened.
	await resize(60, 16);
	t.deepEqual(tableLines(screen()).slice(0, 3), [
		'┌──────┬──────────────────────────┬───────────────┐',
		'│ sev  │ type                     │ state         │',
		'│ CRIT │ DEVICE_STATUS            │ RESOLVED 0.1s │',
	]);
	for (const [columns, rows] of [
		[60, 16],
		[70, 20],
		[80, 24],
		[90, 24],
		[100, 30],
		[119, 30],
		[120, 30],
		[200, 50],
	] as const) {
		// eslint-disable-next-line no-await-in-loop
		await resize(columns, rows);
		const lines = screen();
		t.true(
			lines.some((line) => line.includes('│ THRESHOLD_BREACH_VOLTAGE │')),
			`${columns}x${rows}: the report's name`,
		);
		t.true(
			lines.every((line) => [...line].length < columns),
			`${columns}x${rows}: no line wider than the terminal`,
		);
	}
});
