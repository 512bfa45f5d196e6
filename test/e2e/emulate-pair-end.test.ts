// `emulate --pair` ends by removing the pair. A PTY's unread input goes with its other end
// (the kernel hangs the monitor's side up and flushes it), so the pair must outlive the
// last line by long enough for the monitor to read it.
import process from 'node:process';
import test from 'ava';
import {startCli, stopOnTeardown} from '../helpers/cli.js';
import {portWorkspace, scenarioLines} from '../helpers/port-workspace.js';
import {requireSocat} from '../helpers/socat.js';
import {waitUntil} from '../helpers/wait-until.js';

test('emulate --pair: a monitor that reads a moment late still gets the last lines before the pair goes', async (t) => {
	if (!requireSocat(t)) {
		return;
	}

	const workspace = portWorkspace(t, 'pair-end');
	const monitor = stopOnTeardown(
		t,
		startCli(['--headless', '--config', workspace.configPath]),
	);
	await monitor.waitFor(/waiting for/);
	const emulator = stopOnTeardown(
		t,
		startCli([
			'emulate',
			'--pair',
			'--config',
			workspace.configPath,
			'--scenario',
			'normal',
			'--rate',
			'0',
			'--count',
			'20',
		]),
	);
	// The monitor has opened its side (and flushed it); the emulator sends 0.1 s later. A
	// busy machine can keep the monitor from reading for a while: stopped here for 0.3 s.
	await monitor.waitFor(/listening on/);
	// process.kill, not child.kill: that would mark the child killed, and the teardown
	// would then not stop it.
	process.kill(monitor.child.pid!, 'SIGSTOP');
	try {
		await emulator.waitFor(/: sending/);
		await new Promise((resolve) => {
			setTimeout(resolve, 300);
		});
	} finally {
		process.kill(monitor.child.pid!, 'SIGCONT');
	}

	await emulator.waitFor(/sent 20 lines/);
	t.is(await emulator.exited, 0, `${emulator.stderr()}`);
	const expected = scenarioLines(workspace.config, 'normal', 20);
	try {
		await waitUntil(
			() => workspace.rawLines().length >= expected.length,
			'raw.log holds the 20 lines sent',
			3000,
		);
	} catch (error) {
		t.log(`raw.log:\n${workspace.rawLines().join('\n')}`);
		throw error;
	}

	t.deepEqual(workspace.rawLines(), expected);
});
