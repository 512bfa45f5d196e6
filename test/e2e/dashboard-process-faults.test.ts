// The dashboard is two processes: the screen (dist/cli.js, in the terminal) and the
// collector it forks (dist/app/collector-process.js: the port, the files, the detector).
// Either may be killed outright; these tests kill each with SIGKILL, mid-stream on a real
// socat pair, and look at what the other one does.
import process from 'node:process';
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {createVirtualPair} from '../../source/adapters/virtual-pair.js';
import {cliPath, runCli, startCli, stopOnTeardown} from '../helpers/cli.js';
import {readJson} from '../helpers/json.js';
import {
	portWorkspace,
	scenarioLines,
	type PortWorkspace,
} from '../helpers/port-workspace.js';
import {
	isRunning,
	waitForChild,
	waitForProcessExit,
	type ProcessEntry,
} from '../helpers/processes.js';
import {requireSocat} from '../helpers/socat.js';
import {openTerminal, requireTmux, type Terminal} from '../helpers/tmux.js';
import {linesOf} from '../helpers/wait-until.js';

// 1,000 lines at 50 Hz: 20 s, far longer than any test here needs.
const streamCount = 1000;

type Streaming = {
	workspace: PortWorkspace;
	terminal: Terminal;
	screenProcess: ProcessEntry;
	collector: ProcessEntry;
	/** The line count the dashboard showed last before the kill. */
	linesShown: number;
};

/** The dashboard on a socat pair, the device streaming normal readings, 30 lines or more on screen. */
async function streamingDashboard(
	t: ExecutionContext,
	prefix: string,
): Promise<Streaming> {
	const workspace = portWorkspace(t, prefix);
	const pair = await createVirtualPair(workspace.device, workspace.monitorSide);
	t.teardown(async () => pair.close());
	const terminal = openTerminal(
		t,
		`${process.execPath} ${cliPath} --config ${workspace.configPath}`,
		{columns: 100, rows: 30, cwd: workspace.dir},
	);
	await terminal.waitForScreen(/● connected/);
	const screenProcess = await waitForChild(
		terminal.panePid(),
		// meow names the process after the command.
		/^serialwatch$|dist\/cli\.js --config/,
	);
	const collector = await waitForChild(
		screenProcess.pid,
		/dist\/app\/collector-process\.js/,
	);
	stopOnTeardown(
		t,
		startCli([
			'emulate',
			'--port',
			workspace.device,
			'--config',
			workspace.configPath,
			'--scenario',
			'normal',
			'--rate',
			'50',
			'--count',
			String(streamCount),
		]),
	);
	const shown = await terminal.waitForScreen(/lines (?:[3-9]\d|\d{3,}) · /);
	return {
		workspace,
		terminal,
		screenProcess,
		collector,
		linesShown: Number(/lines (\d+) · /.exec(shown)![1]),
	};
}

/** raw.log holds an unbroken run of what the device sent, from its first line, each line whole. */
function checkRawLog(t: ExecutionContext, workspace: PortWorkspace) {
	const text = readFileSync(workspace.rawLog, 'utf8');
	t.true(text.endsWith('\n'), 'raw.log ends with a whole line');
	const received = workspace.rawLines();
	t.deepEqual(
		received,
		scenarioLines(workspace.config, 'normal', received.length),
		'every line as sent, in order',
	);
	return received.length;
}

test.serial(
	'the screen process killed (SIGKILL) mid-stream: the collector finishes the files, writes the report, releases the lock and exits',
	async (t) => {
		if (!requireTmux(t) || !requireSocat(t)) {
			return;
		}

		const {workspace, terminal, screenProcess, collector, linesShown} =
			await streamingDashboard(t, 'screen-killed');
		t.true(existsSync(workspace.lock));
		process.kill(screenProcess.pid, 'SIGKILL');
		t.is(await terminal.waitForExit(), 137, 'the shell saw it killed');
		await waitForProcessExit(collector.pid, 'the collector, its screen gone');

		t.false(existsSync(workspace.lock), 'the lock is released');
		t.true(
			Array.isArray(readJson(workspace.report)),
			'anomaly_report.json is written',
		);
		const received = checkRawLog(t, workspace);
		t.true(
			received >= linesShown,
			`raw.log has ${received} lines, the screen had shown ${linesShown}`,
		);
		t.true(received < streamCount, 'the screen was killed mid-stream');
		// Each line logged went through the whole pipeline: a CSV row for each (all valid).
		const csv = linesOf(
			readFileSync(join(workspace.data, 'structured_metrics.csv'), 'utf8'),
		);
		t.is(csv.length - 1, received, 'a CSV row per line in raw.log');
		// The device still sends; nobody reads it any more.
		await new Promise((resolve) => {
			setTimeout(resolve, 300);
		});
		t.is(workspace.rawLines().length, received, 'the run has ended');
	},
);

test.serial(
	'the collector killed (SIGKILL): the screen gives the terminal back, names what happened, exits 1; the next run takes over the lock',
	async (t) => {
		if (!requireTmux(t) || !requireSocat(t)) {
			return;
		}

		const {workspace, terminal, screenProcess, collector, linesShown} =
			await streamingDashboard(t, 'collector-killed');
		process.kill(collector.pid, 'SIGKILL');
		const code = await terminal.waitForExit();
		// Long lines wrap at the pane's width.
		const screen = terminal.screen().replaceAll('\n', '');
		t.is(code, 1, `${screen}`);
		t.true(
			screen.includes(
				`serialwatch: the collector process (pid ${collector.pid}) ended unexpectedly (killed by SIGKILL)`,
			),
			`${screen}`,
		);
		t.false(
			terminal.alternateScreen(),
			'the terminal is back on its normal screen',
		);
		t.notRegex(screen, /p pause · r report/, 'the dashboard is gone');
		t.false(isRunning(screenProcess.pid));
		// raw.log is written line by line as they come: a kill loses nothing it had shown.
		const received = checkRawLog(t, workspace);
		t.true(
			received >= linesShown,
			`raw.log has ${received} lines, the screen had shown ${linesShown}`,
		);

		// Its lock names a process that is gone: the next run takes it over.
		const next = await runCli([
			'--headless',
			'--config',
			workspace.configPath,
			'--duration',
			'0.5',
		]);
		t.is(next.code, 0, `${next.stderr}`);
		t.false(existsSync(workspace.lock));
	},
);
