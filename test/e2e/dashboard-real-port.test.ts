// The dashboard in a real terminal (tmux) on a real serial port (a socat PTY pair), the
// device played by `serialwatch emulate`: what no `--demo` test can see, since the demo's
// mock binding never touches serialport's native poller.
import process from 'node:process';
import {existsSync, readFileSync} from 'node:fs';
import test, {type ExecutionContext} from 'ava';
import {createVirtualPair} from '../../source/adapters/virtual-pair.js';
import {incidentTypes} from '../../source/core/incident.js';
import {cliPath, startCli, stopOnTeardown} from '../helpers/cli.js';
import {readJson} from '../helpers/json.js';
import {
	linesSent,
	portWorkspace,
	scenarioLines,
	type PortWorkspace,
} from '../helpers/port-workspace.js';
import {escapeRegExp} from '../helpers/escape-regexp.js';
import {requireSocat} from '../helpers/socat.js';
import {openTerminal, requireTmux, type Terminal} from '../helpers/tmux.js';
import {linesOf, waitUntil} from '../helpers/wait-until.js';

// The failure scenario's silence is 1.5 heartbeat timeouts and a half: 3 s keeps the test
// short and still far above any pause a loaded machine puts between two lines at 50 Hz.
const thresholds = 'thresholds:\n  heartbeat_timeout_s: 3\n';
// The failure scenario forces every rule.
const forcedRules = incidentTypes;

async function waitForRawLines(
	t: ExecutionContext,
	workspace: PortWorkspace,
	count: number,
	terminal: Terminal,
) {
	try {
		await waitUntil(
			() => workspace.rawLines().length >= count,
			`raw.log holds ${count} lines (it has ${workspace.rawLines().length})`,
		);
	} catch (error) {
		t.log(terminal.screen());
		t.log(`raw.log:\n${workspace.rawLines().join('\n')}`);
		throw error;
	}
}

/** Quits with q; checks what every clean quit leaves: exit 0, the normal screen back, no lock, the report. */
async function quitCleanly(
	t: ExecutionContext,
	terminal: Terminal,
	workspace: PortWorkspace,
) {
	terminal.sendKeys('q');
	const code = await terminal.waitForExit();
	t.is(code, 0, terminal.screen());
	t.false(
		terminal.alternateScreen(),
		'the terminal is back on its normal screen',
	);
	t.false(existsSync(workspace.lock), 'the output dir is unlocked');
	const report = readJson<Array<{type: string; end: string | null}>>(
		workspace.report,
	);
	const reported = new Set(report.map((entry) => entry.type));
	for (const rule of forcedRules) {
		t.true(reported.has(rule), `${rule} is in anomaly_report.json`);
	}

	return terminal.screen();
}

test.serial(
	'dashboard on an existing socat pair, emulate --port plays the failure scenario: every line in raw.log, every rule reported, q quits cleanly',
	async (t) => {
		if (!requireTmux(t) || !requireSocat(t)) {
			return;
		}

		const workspace = portWorkspace(t, 'real-port', {sections: thresholds});
		const pair = await createVirtualPair(
			workspace.device,
			workspace.monitorSide,
		);
		t.teardown(async () => pair.close());
		const terminal = openTerminal(
			t,
			`${process.execPath} ${cliPath} --config ${workspace.configPath}`,
			{columns: 100, rows: 30, cwd: workspace.dir},
		);
		await terminal.waitForScreen(/● connected/);
		t.true(terminal.alternateScreen());

		const emulator = stopOnTeardown(
			t,
			startCli([
				'emulate',
				'--port',
				workspace.device,
				'--config',
				workspace.configPath,
				'--scenario',
				'failure',
				'--rate',
				'50',
			]),
		);
		await emulator.waitFor(/sent \d+ lines/, 40_000);
		t.is(await emulator.exited, 0, `${emulator.stderr()}`);
		const sent = linesSent(emulator.stderr())!;
		const expected = scenarioLines(workspace.config, 'failure');
		t.is(sent, expected.length, `${emulator.stderr()}`);

		await waitForRawLines(t, workspace, sent, terminal);
		t.deepEqual(
			workspace.rawLines(),
			expected,
			'raw.log holds every line sent, in order, bytes as sent',
		);

		// The screen agrees with the files: line count, malformed count, every rule listed.
		const malformed = linesOf(
			readFileSync(`${workspace.data}/parser_errors.log`, 'utf8'),
		).length;
		t.is(
			malformed,
			11,
			'the failure scenario sends one over the parse-error limit',
		);
		const screen = await terminal.waitForScreen(
			new RegExp(
				String.raw`lines ${sent} · [\d.]+/s · parse errors ${malformed} ·`,
			),
			10_000,
		);
		t.log(screen);
		t.regex(screen, /● connected/);
		// The last reading, as the device sent it.
		const [, temperature, voltage, status] =
			/^T:([\d.]+),V:([\d.]+),S:(\w+)$/.exec(expected.at(-1)!)!;
		const [celsius, volts] = [temperature, voltage].map((value) =>
			Number(value).toFixed(2),
		);
		t.regex(
			screen,
			new RegExp(String.raw`^T ${celsius}°C V ${volts}V status ${status}`, 'm'),
		);
		t.regex(
			screen,
			new RegExp(
				String.raw`Temperature min [\d.]+ max 95\.50 last ${celsius} °C`,
			),
		);
		t.regex(
			screen,
			new RegExp(String.raw`Voltage min [\d.]+ max 6\.10 last ${volts} V`),
		);
		for (const rule of forcedRules) {
			t.regex(screen, new RegExp(`│ ${rule} +│`), `${rule} on screen`);
		}

		const after = await quitCleanly(t, terminal, workspace);
		t.regex(
			after,
			new RegExp(
				String.raw`serialwatch: ${sent} lines \(${sent - malformed} valid, ${malformed} malformed\)`,
			),
		);
		t.true(
			existsSync(workspace.device),
			'the pair is not the monitor’s to remove',
		);
	},
);

test.serial(
	"the README's two panes: the dashboard first, waiting for the port; then emulate --pair: it connects, every line arrives",
	async (t) => {
		if (!requireTmux(t) || !requireSocat(t)) {
			return;
		}

		// As a person sets it up: a config.yaml in the directory both commands run in, no flags.
		const workspace = portWorkspace(t, 'recipe', {
			sections: thresholds,
			relativeOutput: true,
		});
		const terminal = openTerminal(t, `${process.execPath} ${cliPath}`, {
			columns: 100,
			rows: 30,
			cwd: workspace.dir,
		});
		const waiting = await terminal.waitForScreen(
			new RegExp(
				String.raw`○ waiting [\dhms.]+ for ${escapeRegExp(workspace.monitorSide)} \(not present`,
			),
		);
		t.notRegex(waiting, /● connected/);
		t.regex(waiting, /no line yet \(port not open\)/);

		const emulator = stopOnTeardown(
			t,
			startCli(['emulate', '--pair', '--scenario', 'failure', '--rate', '50'], {
				cwd: workspace.dir,
			}),
		);
		await emulator.waitFor(
			new RegExp(
				`the monitor opened ${escapeRegExp(workspace.monitorSide)}: sending`,
			),
			20_000,
		);
		const connected = await terminal.waitForScreen(/● connected/, 10_000);
		t.notRegex(connected, /○ waiting/);

		await emulator.waitFor(/sent \d+ lines/, 40_000);
		t.is(await emulator.exited, 0, `${emulator.stderr()}`);
		t.regex(
			emulator.stderr(),
			new RegExp(
				String.raw`linked ${escapeRegExp(workspace.device)} \(emulator side\) <-> ${escapeRegExp(workspace.monitorSide)} \(monitor side\)`,
			),
		);
		const sent = linesSent(emulator.stderr())!;
		const expected = scenarioLines(workspace.config, 'failure');
		t.is(sent, expected.length);
		await waitForRawLines(t, workspace, sent, terminal);
		t.deepEqual(workspace.rawLines(), expected, 'nothing sent was lost');

		// The pair went with the emulator: the monitor says so and waits to reconnect.
		t.false(existsSync(workspace.monitorSide));
		await terminal.waitForScreen(/○ reconnecting since/, 10_000);
		await terminal.waitForScreen(new RegExp(`lines ${sent} · `), 10_000);
		await quitCleanly(t, terminal, workspace);
	},
);
