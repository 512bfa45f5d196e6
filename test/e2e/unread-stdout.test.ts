// `serialwatch --headless | (a reader that never reads)`: the events wait in a bounded
// queue (the oldest dropped and counted), the files keep everything, and a stop is not
// held up by the full pipe.
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {startCli, stopOnTeardown} from '../helpers/cli.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {linesOf} from '../helpers/wait-until.js';

/** Every reading an incident event: a breach that fires and resolves line after line. */
const spikyScenario =
	'repeat: true\nsteps:\n  - {raw: "T:90.0,V:5.0,S:NORMAL"}\n  - {raw: "T:20.0,V:5.0,S:NORMAL"}\n';

function residentMb(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024;
}

test('a pipe on stdout that nobody reads: events beyond the queue are dropped and counted, memory stays bounded, and one SIGTERM ends the run within a few seconds', async (t) => {
	const dir = temporaryDirectory(t, 'unread');
	const scenario = join(dir, 'spiky.yaml');
	writeFileSync(scenario, spikyScenario);
	const monitor = stopOnTeardown(
		t,
		startCli(
			[
				'--headless',
				'--demo',
				'--scenario',
				scenario,
				'--rate',
				'3000',
				'--out',
				dir,
			],
			{stdoutUnread: true},
		),
	);
	await monitor.waitFor(/stdout is not being read/, 20_000);
	const rss: number[] = [];
	for (let second = 0; second < 4; second++) {
		rss.push(residentMb(monitor.child.pid!));
		// eslint-disable-next-line no-await-in-loop
		await new Promise((resolve) => {
			setTimeout(resolve, 1000);
		});
	}

	monitor.child.kill('SIGTERM');
	const stoppedAt = Date.now();
	t.is(await monitor.exited, 0, `${monitor.stderr()}`);
	t.true(
		Date.now() - stoppedAt < 4000,
		`ended ${Date.now() - stoppedAt} ms after SIGTERM`,
	);
	const dropped = Number(/events: (\d+) dropped/.exec(monitor.stderr())?.[1]);
	t.true(dropped > 0, `${monitor.stderr()}`);
	// The incidents themselves are kept (the report covers the whole run); what must not
	// pile up is the events' text: a few thousand lines a second of it.
	t.true(
		Math.max(...rss) < 300,
		`RSS ${rss.map((mb) => mb.toFixed(0)).join(', ')} MB`,
	);
	// The files have every line, whatever stdout missed.
	const summary = /serialwatch: (\d+) lines/.exec(monitor.stderr());
	t.is(
		linesOf(readFileSync(join(dir, 'raw.log'), 'utf8')).length,
		Number(summary?.[1]),
	);
});
