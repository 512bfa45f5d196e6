// The monitor on a real PTY whose device speaks another protocol than the declared one: after
// 50 malformed lines in a row it says, once, that init --from-port proposes one; headless on
// stderr, and on the dashboard's notice line.
import process from 'node:process';
import test from 'ava';
import {createVirtualPair} from '../../source/adapters/virtual-pair.js';
import {cliPath, startCli, stopOnTeardown} from '../helpers/cli.js';
import {portWorkspace, sendLines} from '../helpers/port-workspace.js';
import {requireSocat} from '../helpers/socat.js';
import {openTerminal, requireTmux} from '../helpers/tmux.js';
import {escapeRegExp} from '../helpers/escape-regexp.js';
import {waitUntil} from '../helpers/wait-until.js';

const badLines = (from: number, count: number) =>
	Array.from(
		{length: count},
		(_, n) => `Humidity ${from + n} percent, all fine`,
	);

const noticeOf = (port: string) =>
	`none of the last 50 lines match the declared protocol; serialwatch init --from-port ${port} proposes one`;

test('headless: 49 bad lines say nothing, the 50th says it once on stderr, 70 more do not repeat it', async (t) => {
	if (!requireSocat(t)) {
		return;
	}

	t.timeout(120_000);
	const workspace = portWorkspace(t, 'mismatch-headless');
	const pair = await createVirtualPair(workspace.device, workspace.monitorSide);
	t.teardown(async () => pair.close());
	const monitor = stopOnTeardown(
		t,
		startCli(['--headless', '--config', workspace.configPath]),
	);
	await monitor.waitFor(/listening on/);
	await sendLines(workspace.device, badLines(1, 49));
	await waitUntil(
		() => workspace.rawLines().length >= 49,
		'raw.log holds the 49 lines',
	);
	// What the monitor says of a batch comes after raw.log has it: give it a moment more.
	await new Promise((resolve) => {
		setTimeout(resolve, 500);
	});
	t.false(monitor.stderr().includes('none of the last'), `${monitor.stderr()}`);
	await sendLines(workspace.device, badLines(50, 1));
	const notice = noticeOf(workspace.monitorSide);
	await monitor.waitFor(new RegExp(escapeRegExp(notice)));
	await sendLines(workspace.device, badLines(51, 70));
	await waitUntil(
		() => workspace.rawLines().length >= 120,
		'raw.log holds the 120 lines',
	);
	monitor.child.kill('SIGINT');
	t.is(await monitor.exited, 0, `${monitor.stderr()}`);
	t.is(monitor.stderr().split(notice).length - 1, 1, 'said once');
});

test('dashboard: the notice shows on the notice line of a real terminal', async (t) => {
	if (!requireSocat(t) || !requireTmux(t)) {
		return;
	}

	t.timeout(120_000);
	const workspace = portWorkspace(t, 'mismatch-dashboard');
	const pair = await createVirtualPair(workspace.device, workspace.monitorSide);
	t.teardown(async () => pair.close());
	const terminal = openTerminal(
		t,
		`${process.execPath} ${cliPath} --config ${workspace.configPath}`,
		// Wide enough that the notice, with the temporary directory's long path, is one row.
		{columns: 220, rows: 30, cwd: workspace.dir},
	);
	await terminal.waitForScreen(/● connected/);
	await sendLines(workspace.device, badLines(1, 60));
	const screen = await terminal.waitForScreen(
		new RegExp(escapeRegExp(noticeOf(workspace.monitorSide))),
	);
	t.regex(screen, /parse errors (?:5\d|60) /);
});
