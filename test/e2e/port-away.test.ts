// A port that vanishes cleanly (socat stopped with SIGTERM removes its links) and stays
// away: the monitor retries every reconnect interval, but says so once, not once a retry.
// The dashboard's side of it ("reconnecting since" the loss, not since the last retry) is
// checked in test/app/monitor-state.test.ts and test/ui/header.test.tsx.
import {readFileSync, writeFileSync} from 'node:fs';
import {setTimeout as delay} from 'node:timers/promises';
import process from 'node:process';
import test from 'ava';
import {createVirtualPair} from '../../source/adapters/virtual-pair.js';
import {startCli, stopOnTeardown} from '../helpers/cli.js';
import {portWorkspace} from '../helpers/port-workspace.js';
import {requireSocat} from '../helpers/socat.js';

const awayMs = 3000;

test('a port gone for 30 retries: one "lost" line on stderr, then one "listening" when it is back', async (t) => {
	if (!requireSocat(t)) {
		return;
	}

	const workspace = portWorkspace(t, 'port-away');
	const {configPath, device, monitorSide} = workspace;
	// reconnect_interval_s 0.1: about 30 retries in the 3 s away.
	writeFileSync(
		configPath,
		readFileSync(configPath, 'utf8').replace(
			'reconnect_interval_s: 0.2',
			'reconnect_interval_s: 0.1',
		),
	);
	let pair = await createVirtualPair(device, monitorSide);
	t.teardown(async () => pair.close());
	const monitor = stopOnTeardown(
		t,
		startCli(['--headless', '--config', configPath]),
	);
	await monitor.waitFor(/listening on/);
	await pair.close();
	await monitor.waitFor(/lost /);
	await delay(awayMs);
	const whileAway = monitor.stderr().split('\n').filter(Boolean);

	pair = await createVirtualPair(device, monitorSide);
	await monitor.waitFor(/listening on[^]*listening on/);
	monitor.child.kill('SIGTERM');
	t.is(await monitor.exited, 0, `${monitor.stderr()}`);

	t.is(whileAway.length, 2, `${whileAway.join('\n')}`);
	t.is(whileAway[0], `serialwatch: listening on ${monitorSide}`);
	// Said as the user can act on it: the pair's end is gone (it read "bad file descriptor",
	// the read error socat's going left the open port with).
	t.is(
		whileAway[1],
		`serialwatch: lost ${monitorSide} (the device is gone); retrying every 0.1 s`,
	);
	const lines = monitor.stderr().split('\n');
	t.is(lines.filter((line) => line.includes('lost ')).length, 1);
	t.is(lines.filter((line) => line.includes('listening on')).length, 2);
});

test('socat killed with SIGKILL (its links left dangling): the loss is said as the device gone, not as the read error it left ("bad file descriptor")', async (t) => {
	if (!requireSocat(t)) {
		return;
	}

	const {configPath, device, monitorSide} = portWorkspace(t, 'port-killed');
	const pair = await createVirtualPair(device, monitorSide);
	t.teardown(async () => pair.close());
	const monitor = stopOnTeardown(
		t,
		startCli(['--headless', '--config', configPath]),
	);
	await monitor.waitFor(/listening on/);
	process.kill(pair.pid!, 'SIGKILL');
	await monitor.waitFor(/lost /);
	monitor.child.kill('SIGTERM');
	t.is(await monitor.exited, 0, `${monitor.stderr()}`);
	const lost = monitor
		.stderr()
		.split('\n')
		.find((line) => line.includes('lost '));
	t.is(
		lost,
		`serialwatch: lost ${monitorSide} (the device is gone); retrying every 0.2 s`,
	);
});
