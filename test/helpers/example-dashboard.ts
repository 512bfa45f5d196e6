// A shipped example profile on the dashboard, in a real 80x24 terminal (tmux), on a real
// socat pair, while `emulate --config` plays its tour: what a person sees.
import process from 'node:process';
import {join} from 'node:path';
import type {ExecutionContext} from 'ava';
import {createVirtualPair} from '../../source/adapters/virtual-pair.js';
import type {NumberField} from '../../source/core/device-profile.js';
import {detectorSettings} from '../../source/core/config.js';
import {cliPath, startCli, stopOnTeardown} from './cli.js';
import {escapeRegExp} from './escape-regexp.js';
import {
	declaredTypes,
	exampleWorkspace,
	rawLinesOf,
	tourLimitMs,
	tourLines,
	type ExampleName,
} from './example-tour.js';
import {linesSent} from './port-workspace.js';
import {openTerminal} from './tmux.js';
import {waitUntil} from './wait-until.js';

/**
 * The dashboard shows each numeric field by label and unit, draws its chart, and lists every
 * rule the tour fired in its alert table; it records every line; q quits with exit 0.
 * Returns the screen at the tour's end.
 */
export async function checkExampleDashboard(
	t: ExecutionContext,
	name: ExampleName,
): Promise<string> {
	// A tour of a few minutes: longer than the runner's default quiet time.
	t.timeout(tourLimitMs + 60_000);
	const workspace = exampleWorkspace(t, name);
	const {profile} = detectorSettings(workspace.config);
	const numbers = profile.fields.filter(
		(field): field is NumberField => field.type === 'number',
	);
	const pair = await createVirtualPair(workspace.device, workspace.monitorSide);
	t.teardown(async () => pair.close());
	const terminal = openTerminal(
		t,
		`${process.execPath} ${cliPath} --config ${workspace.configPath}`,
		{columns: 80, rows: 24, cwd: workspace.dir},
	);
	await terminal.waitForScreen(/● connected/);

	const emulator = stopOnTeardown(
		t,
		startCli(['emulate', '--config', workspace.configPath]),
	);
	// Midway, with a breach held: the first field's chart is drawn, with its label and unit.
	const [first] = numbers;
	const during = await terminal.waitForScreen(
		new RegExp(
			String.raw`^${escapeRegExp(first!.label)} min [\d.-]+ max [\d.-]+ last [\d.-]+ ${escapeRegExp(first!.unit)}`,
			'm',
		),
		tourLimitMs,
	);
	t.log(`${name}, during the tour:\n${during}`);

	await emulator.waitFor(/sent \d+ lines/, tourLimitMs);
	t.is(await emulator.exited, 0, emulator.stderr());
	const sent = linesSent(emulator.stderr())!;
	const tour = tourLines(workspace.config);
	t.is(sent, tour.length);
	const rawLog = join(workspace.data, 'raw.log');
	await waitUntil(
		() => rawLinesOf(rawLog).length >= sent,
		`raw.log holds the ${sent} lines sent`,
	);
	t.deepEqual(
		rawLinesOf(rawLog),
		tour.map((line) => line.text),
	);
	const damaged = tour.filter((line) => !line.valid).length;
	const screen = await terminal.waitForScreen(
		new RegExp(String.raw`lines ${sent} · [\d.]+/s · parse errors ${damaged} `),
	);
	t.log(`${name}, at the tour's end:\n${screen}`);

	// The current reading: every field by name with its unit. Each numeric field has a chart
	// of its own (its label, min, max, last value and unit over it) when they fit, else a row
	// by label with its value, unit and sparkline, the selected field's chart above them.
	const chart = /^[▁▂▃▄▅▆▇█ ]{40,}$/m;
	t.regex(screen, chart, 'a chart is drawn');
	for (const field of numbers) {
		const [name, label, unit] = [field.name, field.label, field.unit].map(
			(text) => escapeRegExp(text),
		);
		t.regex(
			screen,
			new RegExp(String.raw`${name} -?[\d.]+${unit}`),
			`${field.name} and its unit in the current reading`,
		);
		const ownChart = new RegExp(
			String.raw`^${label} min -?[\d.]+ max -?[\d.]+ last -?[\d.]+ ${unit}.*\n${chart.source.slice(1)}`,
			'm',
		);
		const row = new RegExp(
			String.raw`^[ ▸]${label} +-?[\d.]+${unit} [▁▂▃▄▅▆▇█]{10,}`,
			'm',
		);
		t.true(
			ownChart.test(screen) || row.test(screen),
			`${field.label}: its chart, or its row and sparkline`,
		);
	}

	// The alert table: a row per incident the tour resolved, newest first, as many as fit.
	t.regex(screen, /^Alerts \d+ firing · \d+ listed/m);
	const listed = Number(/· (\d+) listed/.exec(screen)![1]);
	const types = declaredTypes(workspace.config);
	t.true(
		listed >= types.length,
		`at least one alert per declared type: ${listed}`,
	);
	const shown = types.filter((type) =>
		new RegExp(String.raw`│ \w+ +│ ${type} +│`).test(screen),
	);
	t.true(shown.length >= 3, `the table shows alerts: ${shown.join(' ')}`);

	terminal.sendKeys('q');
	t.is(await terminal.waitForExit(), 0, terminal.screen());
	return screen;
}
