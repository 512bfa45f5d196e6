// The process that reads the port stopped (SIGSTOP: a debugger, a suspended VM, a swap
// storm) for 30 s while the device goes on at 100 lines a second, then SIGCONT. The device
// is a real one's double: it writes non-blocking, so what the tty cannot hold is lost at
// the device, as a UART's overrun. Whatever the tty kept must be in raw.log, byte for byte,
// and the only incident the gap may raise is the silence the monitor saw: one
// HEARTBEAT_LOSS. Headless, and the dashboard's collector process.
import process from 'node:process';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {createVirtualPair} from '../../source/adapters/virtual-pair.js';
import {cliPath, startCli, stopOnTeardown} from '../helpers/cli.js';
import {readJson} from '../helpers/json.js';
import {portWorkspace, type PortWorkspace} from '../helpers/port-workspace.js';
import {waitForChild} from '../helpers/processes.js';
import {requireSocat} from '../helpers/socat.js';
import {
	startSteadyDevice,
	type SteadyDevice,
} from '../helpers/steady-device.js';
import {openTerminal, requireTmux} from '../helpers/tmux.js';
import {linesOf, waitUntil} from '../helpers/wait-until.js';

const linesPerSecond = 100;
const beforeMs = 5000;
const stoppedMs = 30_000;
const afterMs = 5000;

type Report = Array<{type: string; end: string | null}>;

const sleep = async (ms: number) =>
	new Promise((resolve) => {
		setTimeout(resolve, ms);
	});

/** The bytes after each raw.log time stamp, each line with its newline. */
function rawLogBytes(workspace: PortWorkspace): string {
	return linesOf(readFileSync(workspace.rawLog, 'latin1'))
		.map((line) => `${line.slice(line.indexOf('\t') + 1)}\n`)
		.join('');
}

/** Stops `pid` for `stoppedMs` while the device runs, continues it, lets the device run on. */
async function stopWhileSending(
	t: ExecutionContext,
	workspace: PortWorkspace,
	pid: number,
): Promise<SteadyDevice> {
	const device = startSteadyDevice(workspace.device, linesPerSecond);
	t.teardown(() => {
		device.stop();
	});
	// A stopped process only hears SIGTERM once continued: teardown must not find it stopped.
	t.teardown(() => {
		try {
			process.kill(pid, 'SIGCONT');
		} catch {
			// Gone already.
		}
	});
	await sleep(beforeMs);
	process.kill(pid, 'SIGSTOP');
	const lostBefore = device.lost + device.torn;
	await sleep(stoppedMs);
	process.kill(pid, 'SIGCONT');
	const lostWhileStopped = device.lost + device.torn - lostBefore;
	await sleep(afterMs);
	device.stop();
	t.log(
		`device: ${device.sent} lines taken whole, ${device.lost} lost and ${device.torn} torn by the full tty (${lostWhileStopped} of them while stopped)`,
	);
	// The stop was long enough to fill the tty: otherwise this proves nothing about it.
	t.true(
		lostWhileStopped > 0,
		'the tty overflowed while the monitor was stopped',
	);
	const expected = device.accepted();
	await waitUntil(
		() => rawLogBytes(workspace).length >= expected.length,
		'raw.log holds every byte the tty took',
		60_000,
	);
	return device;
}

function checkWhatWasKept(
	t: ExecutionContext,
	workspace: PortWorkspace,
	device: SteadyDevice,
) {
	t.is(
		rawLogBytes(workspace),
		device.accepted(),
		'raw.log holds every byte the tty took, in order',
	);
	const report = readJson<Report>(workspace.report);
	t.deepEqual(
		report.map(({type}) => type),
		['HEARTBEAT_LOSS'],
		`${JSON.stringify(report, undefined, 1)}`,
	);
	// A line the full tty cut is malformed, and that is all: one error record per torn line.
	const errors = linesOf(
		readFileSync(join(workspace.data, 'parser_errors.log'), 'utf8'),
	);
	t.true(
		errors.length <= device.torn,
		`${errors.length} parse errors, ${device.torn} torn lines`,
	);
}

test.serial(
	'headless, stopped for 30 s while the device sends 100 lines/s: what the tty kept is in raw.log, and the one incident is the silence',
	async (t) => {
		t.timeout(180_000);
		if (!requireSocat(t)) {
			return;
		}

		const workspace = portWorkspace(t, 'stopped-headless');
		const pair = await createVirtualPair(
			workspace.device,
			workspace.monitorSide,
		);
		t.teardown(async () => pair.close());
		const monitor = stopOnTeardown(
			t,
			startCli(['--headless', '--config', workspace.configPath]),
		);
		await monitor.waitFor(/listening on/, 20_000);
		const device = await stopWhileSending(t, workspace, monitor.child.pid!);
		monitor.child.kill('SIGTERM');
		t.is(await monitor.exited, 0, `${monitor.stderr()}`);
		checkWhatWasKept(t, workspace, device);
		const events = linesOf(monitor.stdout()).map((line) =>
			readJson<{event: string; type: string}>(line, {text: true}),
		);
		t.deepEqual(
			events.map(({event, type}) => `${event} ${type}`),
			['fired HEARTBEAT_LOSS', 'resolved HEARTBEAT_LOSS'],
		);
	},
);

test.serial(
	"the dashboard's collector process stopped for 30 s while the device sends 100 lines/s: what the tty kept is in raw.log, and the one incident is the silence",
	async (t) => {
		t.timeout(180_000);
		if (!requireTmux(t) || !requireSocat(t)) {
			return;
		}

		const workspace = portWorkspace(t, 'stopped-collector');
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
		const screenProcess = await waitForChild(
			terminal.panePid(),
			/^serialwatch$|dist\/cli\.js --config/,
		);
		const collector = await waitForChild(
			screenProcess.pid,
			/dist\/app\/collector-process\.js/,
		);
		const device = await stopWhileSending(t, workspace, collector.pid);
		terminal.sendKeys('q');
		t.is(await terminal.waitForExit(60_000), 0, `${terminal.screen()}`);
		checkWhatWasKept(t, workspace, device);
	},
);
