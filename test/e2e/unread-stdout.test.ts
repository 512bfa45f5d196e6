// `serialwatch --headless | (a reader that never reads)` on a real PTY pair fed as fast as
// it takes: three events a line wait in a bounded queue (the oldest dropped and counted),
// the files keep everything, memory stays where a run whose stdout is read would be, and
// a stop is not held up by the full pipe.
import {once} from 'node:events';
import {statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {createVirtualPair} from '../../source/adapters/virtual-pair.js';
import {startCli, stopOnTeardown} from '../helpers/cli.js';
import {canReadPeakRss, watchPeakRss} from '../helpers/peak-rss.js';
import {linesSent, portWorkspace} from '../helpers/port-workspace.js';
import {requireSocat} from '../helpers/socat.js';
import {waitUntil} from '../helpers/wait-until.js';

/** Every reading an incident event: a breach of both thresholds that fires and resolves line after line. */
const spikyScenario =
	'repeat: true\nsteps:\n  - {raw: "T:95.0,V:6.0,S:NORMAL"}\n  - {raw: "T:25.0,V:5.0,S:NORMAL"}\n';
const lines = 150_000;
// A run of these lines whose stdout goes to /dev/null peaks near 110 MiB, and near 190 MiB
// with the queue full and dropping (its lines die old, so the heap keeps more garbage);
// events held for an unread stdout cost about 1.9 KiB a line (about 290 MiB more here)
// when nothing bounds them.
const peakRssLimit = 280 * 1024 * 1024;
// `2026-12-01T12:37:09.670Z\tT:95.0,V:6.0,S:NORMAL\n`
const rawLineBytes = 47;
const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

function sizeOf(path: string): number {
	try {
		return statSync(path).size;
	} catch {
		return 0;
	}
}

test('a pipe on stdout that nobody reads, 150,000 lines at PTY speed: events beyond the queue are dropped and counted, memory stays bounded, raw.log has every line, and one SIGTERM ends the run within a few seconds', async (t) => {
	t.timeout(300_000);
	if (!requireSocat(t)) {
		return;
	}

	const workspace = portWorkspace(t, 'unread');
	const scenario = join(workspace.dir, 'spiky.yaml');
	writeFileSync(scenario, spikyScenario);
	const pair = await createVirtualPair(workspace.device, workspace.monitorSide);
	t.teardown(async () => pair.close());
	const monitor = stopOnTeardown(
		t,
		startCli(['--headless', '--config', workspace.configPath], {
			stdoutUnread: true,
		}),
	);
	await monitor.waitFor(/listening on/, 20_000);
	const peak = watchPeakRss(monitor.child.pid!);

	const emulator = stopOnTeardown(
		t,
		startCli([
			'emulate',
			'--config',
			workspace.configPath,
			'--port',
			workspace.device,
			'--scenario',
			scenario,
			'--rate',
			'0',
			'--count',
			String(lines),
		]),
	);
	await once(emulator.child, 'close');
	t.is(emulator.child.exitCode, 0, `${emulator.stderr()}`);
	t.is(linesSent(emulator.stderr()), lines, `${emulator.stderr()}`);
	await waitUntil(
		() => sizeOf(workspace.rawLog) >= lines * rawLineBytes,
		'raw.log holds every line sent',
		180_000,
	);
	const peakBytes = peak.stop() ?? 0;

	monitor.child.kill('SIGTERM');
	const stoppedAt = Date.now();
	t.is(await monitor.exited, 0, `${monitor.stderr()}`);
	// Generous for a busy machine: the point is that a full pipe does not hold the stop for ever.
	t.true(
		Date.now() - stoppedAt < 15_000,
		`ended ${Date.now() - stoppedAt} ms after SIGTERM`,
	);
	t.log(`peak RSS ${megabytes(peakBytes)} MiB over ${lines} lines`);
	t.true(
		!canReadPeakRss || peakBytes < peakRssLimit,
		`peak RSS ${megabytes(peakBytes)} MiB, limit ${megabytes(peakRssLimit)} MiB`,
	);
	const dropped = Number(/events: (\d+) dropped/.exec(monitor.stderr())?.[1]);
	t.true(dropped > lines, `${monitor.stderr()}`);
	const rawLines = workspace.rawLines();
	t.is(rawLines.length, lines);
	t.is(rawLines[0], 'T:95.0,V:6.0,S:NORMAL');
	t.is(rawLines.at(-1), 'T:25.0,V:5.0,S:NORMAL');
});
