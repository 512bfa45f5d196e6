import test from 'ava';
import {breachAndBack, renderDashboard} from '../helpers/render-dashboard.js';

/** The notice sits between the voltage chart and the alerts. */
function noticeLines(screen: string[]): string[] {
	const after = screen.findIndex((line) => line.startsWith('Voltage')) + 2;
	const before = screen.findIndex((line) =>
		/^(Alerts|Keys|Last edit)/.test(line),
	);
	return screen.slice(after, before);
}

test('c says what it cleared, or that there was nothing to clear', async (t) => {
	const {screen, press} = renderDashboard(t, [
		...breachAndBack,
		'T:95.0,V:5.0,S:CRITICAL_TEMP',
	]);
	t.deepEqual(noticeLines(screen()), ['No malformed lines.']);
	await press('c');
	t.deepEqual(noticeLines(screen()), [
		'10:00:04 cleared 4 resolved alerts from the table (the report keeps them)',
	]);
	await press('c');
	t.deepEqual(noticeLines(screen()), [
		'10:00:04 nothing to clear: no resolved alert is listed',
	]);
});

const refusal =
	'config.yaml:41:5: thresholds.temperature.warn_c: must be below thresholds.temperature.max_c (60), or null; it is 70';

test('a refused config edit wraps over a few lines at 80 columns, and ? shows it whole', async (t) => {
	const {screen, state, publish, press, resize, time} = renderDashboard(
		t,
		breachAndBack,
	);
	await resize(80, 24);
	state.configRejected(
		`${refusal}\nconfig.yaml:44:7: thresholds.voltage.min_v: must be below thresholds.voltage.max_v (4)`,
	);
	state.notice(`not applied: ${refusal} (+1 more)`, time, 'error');
	await publish(time);
	t.deepEqual(noticeLines(screen()), [
		'10:00:04 not applied: config.yaml:41:5: thresholds.temperature.warn_c: must be',
		'below thresholds.temperature.max_c (60), or null; it is 70 (+1 more)',
	]);
	t.is(screen().length, 24, 'the table gave the notice its line');
	t.regex(screen().at(-1)!, /^p pause/);
	await press('?');
	const help = screen().findIndex((line) => line.startsWith('Last edit'));
	t.deepEqual(screen().slice(help, help + 7), [
		'Last edit of config.yaml refused, the last valid config is kept:',
		'config.yaml:41:5: thresholds.temperature.warn_c: must be below',
		'thresholds.temperature.max_c (60), or null; it is 70',
		'config.yaml:44:7: thresholds.voltage.min_v: must be below',
		'thresholds.voltage.max_v (4)',
		'',
		'Keys',
	]);
	t.regex(screen().at(-1)!, /^p pause/);
});

test('a notice longer than three lines ends with an ellipsis', async (t) => {
	const {screen, state, publish, resize, time} = renderDashboard(
		t,
		breachAndBack,
	);
	await resize(60, 16);
	state.notice(`not applied: ${refusal} ${refusal}`, time, 'error');
	await publish(time);
	const lines = noticeLines(screen());
	t.is(lines.length, 3);
	t.true(lines.at(-1)!.endsWith('…'));
	t.is(screen().length, 16);
	t.regex(screen().at(-1)!, /^p r c l/);
});
