// The prediction arrow on the dashboard, in a real 80x24 terminal (tmux), while `emulate`
// plays a declared kiln's tour on a socat pair: the temperature's line shows the target and
// the time left while the prediction holds, and nothing of it once it has resolved.
import process from 'node:process';
import test from 'ava';
import {createVirtualPair} from '../../source/adapters/virtual-pair.js';
import {cliPath, startCli, stopOnTeardown} from '../helpers/cli.js';
import {tourLimitMs} from '../helpers/example-tour.js';
import {kilnWorkspace} from '../helpers/predict-device.js';
import {requireSocat} from '../helpers/socat.js';
import {openTerminal, requireTmux} from '../helpers/tmux.js';

const arrow = /→ 70\.0°C in \d+[sm]/;

test('at 80x24 the temperature line shows "→ 70.0°C in <eta>" while the prediction holds, and not after', async (t) => {
	t.timeout(tourLimitMs + 60_000);
	if (!requireTmux(t) || !requireSocat(t)) {
		return;
	}

	const workspace = kilnWorkspace(t, 'predict-dashboard');
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

	const during = await terminal.waitForScreen(arrow, tourLimitMs);
	t.log(`while it holds:\n${during}`);
	const lines = during.split('\n');
	t.true(
		lines.every((line) => [...line].length <= 80),
		'no line wider than the terminal',
	);
	// On the temperature chart's own line: its label, its last reading, then the arrow.
	t.regex(
		during,
		/^Temperature min -?[\d.]+ max -?[\d.]+ last -?[\d.]+ °C → 70\.0°C in \d+[sm]/m,
	);

	await emulator.waitFor(/sent \d+ lines/, tourLimitMs);
	const code = await emulator.exited;
	t.is(code, 0);
	const after = terminal.screen();
	t.log(`at the tour's end:\n${after}`);
	t.notRegex(after, /→ 70\.0°C/, 'the arrow goes once the prediction resolves');
	t.regex(after, /PREDICTED_BREACH_TEMP/);

	terminal.sendKeys('q');
	t.is(await terminal.waitForExit(), 0);
});
