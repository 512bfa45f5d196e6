// A replay of the raw.log a live run left in its output dir ends where that run stopped
// (its final checkpoint says when), not at the device's last line: a silence that ran on
// past the heartbeat timeout until the stop is a HEARTBEAT_LOSS in both reports, byte for
// byte. A copy of the raw.log elsewhere, without the checkpoint, ends at its last line.
import {copyFileSync, mkdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {createVirtualPair} from '../../source/adapters/virtual-pair.js';
import {runCli, startCli, stopOnTeardown} from '../helpers/cli.js';
import {portWorkspace, sendLines} from '../helpers/port-workspace.js';
import {requireSocat} from '../helpers/socat.js';
import {waitUntil} from '../helpers/wait-until.js';

test('the live run stopped 2.5 s after the last line (heartbeat timeout 1 s): replay gives its report byte for byte, HEARTBEAT_LOSS open at the stop included', async (t) => {
	if (!requireSocat(t)) {
		return;
	}

	t.timeout(180_000);
	const space = portWorkspace(t, 'replay-live-stop', {
		sections: 'thresholds:\n  heartbeat_timeout_s: 1',
	});
	const pair = await createVirtualPair(space.device, space.monitorSide);
	t.teardown(async () => pair.close());
	const monitor = stopOnTeardown(
		t,
		startCli(['--config', space.configPath, '--headless']),
	);
	await monitor.waitFor(/listening on/);
	const sent = [
		'T:25.00,V:5.00,S:NORMAL',
		'T:25.10,V:5.00,S:NORMAL',
		'T:95.00,V:5.00,S:NORMAL',
		'T:25.20,V:5.00,S:NORMAL',
	];
	await sendLines(space.device, sent);
	await waitUntil(
		() => space.rawLines().length >= sent.length,
		'raw.log holds every line sent',
	);
	// Silent for more than the timeout before the stop: the live run fires HEARTBEAT_LOSS
	// (at its ticks, or at the stop's own tick), and it is open when the report is written.
	await new Promise((resolve) => {
		setTimeout(resolve, 2500);
	});
	monitor.child.kill('SIGINT');
	t.is(await monitor.exited, 0, `${monitor.stderr()}`);
	const live = readFileSync(space.report, 'utf8');
	t.regex(live, /"type": "HEARTBEAT_LOSS"/);

	const out = join(space.dir, 'replayed');
	const replayed = await runCli([
		'replay',
		space.rawLog,
		'--config',
		space.configPath,
		'--out',
		out,
	]);
	t.is(replayed.code, 0, `${replayed.stderr}`);
	t.is(readFileSync(join(out, 'anomaly_report.json'), 'utf8'), live);

	// A copy without the checkpoint: the replay ends at the last line, before the silence
	// had lasted its timeout, as it always did where nothing says when the run stopped.
	const copy = join(space.dir, 'copy');
	mkdirSync(copy);
	copyFileSync(space.rawLog, join(copy, 'raw.log'));
	const fromCopy = await runCli([
		'replay',
		join(copy, 'raw.log'),
		'--config',
		space.configPath,
		'--out',
		join(copy, 'out'),
	]);
	t.is(fromCopy.code, 0, `${fromCopy.stderr}`);
	const copyReport = readFileSync(
		join(copy, 'out', 'anomaly_report.json'),
		'utf8',
	);
	t.notRegex(copyReport, /HEARTBEAT_LOSS/);
	t.regex(copyReport, /THRESHOLD_BREACH_TEMP/);
});
