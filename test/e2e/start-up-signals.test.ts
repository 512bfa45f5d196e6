// SIGUSR1 asks for a report. Until a process has a listener for it, Node.js takes it to
// open its inspector, through which any local user could run code as the monitor's user.
// These send it at every moment of start-up, to the headless monitor and to both of the
// dashboard's processes, and look for a listening socket.
import process from 'node:process';
import {join} from 'node:path';
import test from 'ava';
import {installedCli, startCli, stopOnTeardown} from '../helpers/cli.js';
import {listeningSockets, requireSs} from '../helpers/listening.js';
import {
	childProcesses,
	isRunning,
	waitForChild,
	type ProcessEntry,
} from '../helpers/processes.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {openTerminal, requireTmux} from '../helpers/tmux.js';
import {waitUntil} from '../helpers/wait-until.js';

const delaysMs = [0, 5, 10, 20, 50, 100, 200, 400];

const sleep = async (ms: number) =>
	new Promise((resolve) => {
		setTimeout(resolve, ms);
	});

const inspectorOpened = /Debugger listening/;

test.serial(
	'headless: a SIGUSR1 at any moment of start-up never opens a listening socket; one that comes before the run can answer is answered once it can',
	async (t) => {
		if (!requireSs(t)) {
			return;
		}

		const outcomes: string[] = [];
		for (const delay of delaysMs) {
			const dir = temporaryDirectory(t, 'usr1');
			const monitor = stopOnTeardown(
				t,
				startCli(['--headless', '--demo', '--out', dir], {asInstalled: true}),
			);
			const pid = monitor.child.pid!;
			// eslint-disable-next-line no-await-in-loop
			await sleep(delay);
			monitor.child.kill('SIGUSR1');
			const sockets: string[] = [];
			// Long enough for an inspector to open, and for the run to be up.
			for (let check = 0; check < 15; check++) {
				sockets.push(...listeningSockets(pid));
				// eslint-disable-next-line no-await-in-loop
				await sleep(50);
			}

			monitor.child.kill('SIGTERM');
			// eslint-disable-next-line no-await-in-loop
			const code = await monitor.exited;
			const what = `SIGUSR1 at ${delay} ms:\n${monitor.stderr()}`;
			t.deepEqual(sockets, [], what);
			t.notRegex(monitor.stderr(), inspectorOpened, what);
			outcomes.push(
				`${delay} ms: ${outcome(monitor.child.signalCode, code, monitor.stderr(), join(dir, 'anomaly_report.json'))}`,
			);
		}

		// Sent before Node.js itself has a handler (its first milliseconds, longer on a busy
		// machine), SIGUSR1 does what it does to any program: it ends it. During the rest of
		// Node's start-up it is spent on an inspector that cannot listen; after that it asks
		// for the report. Which of the three a delay meets depends on the machine's speed.
		t.log(outcomes.join('\n'));
		for (const line of outcomes) {
			t.regex(
				line,
				/: killed by SIGUSR1$|: exit 0, inspector refused$|: exit 0, report written$/,
			);
		}
	},
);

function outcome(
	signal: NodeJS.Signals | null,
	code: number | null,
	stderr: string,
	reportPath: string,
): string {
	if (signal) {
		return `killed by ${signal}`;
	}

	if (code !== 0) {
		return `exit ${code}`;
	}

	if (stderr.includes('Starting inspector on 192.0.2.1:9229 failed')) {
		return 'exit 0, inspector refused';
	}

	return stderr.includes(`report written to ${reportPath}`)
		? 'exit 0, report written'
		: 'exit 0, no report';
}

test.serial(
	'dashboard in a terminal: a SIGUSR1 at any moment of start-up, to the screen process or to the collector, never opens a listening socket',
	async (t) => {
		if (!requireSs(t) || !requireTmux(t)) {
			return;
		}

		const killedEarly: Array<{delay: number; code: number; screen: string}> =
			[];
		for (const delay of [0, 20, 50, 100, 200]) {
			const dir = temporaryDirectory(t, 'usr1-dashboard');
			const terminal = openTerminal(
				t,
				`${installedCli()} --demo --out ${dir}`,
				{
					columns: 100,
					rows: 30,
					cwd: dir,
				},
			);
			// eslint-disable-next-line no-await-in-loop
			const screen = await waitForChild(
				terminal.panePid(),
				/^serialwatch$|dist\/cli\.js/,
			);
			// eslint-disable-next-line no-await-in-loop
			await sleep(delay);
			process.kill(screen.pid, 'SIGUSR1');
			// Within Node's own first milliseconds, before any handler can exist, the signal's
			// default action ends the process (a loaded machine makes that window longer):
			// that is no open socket either.
			// eslint-disable-next-line no-await-in-loop
			await waitUntil(
				() =>
					!isRunning(screen.pid) ||
					childProcesses(screen.pid).some((entry) =>
						entry.command.includes('collector-process.js'),
					),
				'the collector, or the screen process ended by the signal',
			);
			if (!isRunning(screen.pid)) {
				// eslint-disable-next-line no-await-in-loop
				const code = await terminal.waitForExit();
				killedEarly.push({delay, code, screen: terminal.screen()});
				continue;
			}

			// eslint-disable-next-line no-await-in-loop
			const collector: ProcessEntry = await waitForChild(
				screen.pid,
				/collector-process\.js/,
			);
			// eslint-disable-next-line no-await-in-loop
			await sleep(delay);
			process.kill(collector.pid, 'SIGUSR1');
			const sockets: string[] = [];
			for (let check = 0; check < 15; check++) {
				sockets.push(
					...listeningSockets(screen.pid),
					...listeningSockets(collector.pid),
				);
				// eslint-disable-next-line no-await-in-loop
				await sleep(50);
			}

			// The collector too can be caught in Node's own first milliseconds: the screen
			// then says so and exits 1.
			// eslint-disable-next-line no-await-in-loop
			const shown = await terminal.waitForScreen(/q quit|EXIT=\d+/);
			const collectorKilled = /EXIT=\d+/.test(shown);
			if (!collectorKilled) {
				terminal.sendKeys('q');
			}

			// eslint-disable-next-line no-await-in-loop
			const code = await terminal.waitForExit();
			const what = `SIGUSR1 at ${delay} ms:\n${terminal.screen()}`;
			t.deepEqual(sockets, [], what);
			t.notRegex(terminal.screen(), inspectorOpened, what);
			// A collector killed early is reported by the screen, which exits 1.
			t.is(code, collectorKilled ? 1 : 0, what);
			if (collectorKilled) {
				killedEarly.push({delay, code, screen: terminal.screen()});
			}
		}

		for (const {delay, code, screen} of killedEarly) {
			// The screen process killed (128 + SIGUSR1), or the collector, which the screen reports.
			t.true(
				code === 128 + 10 ||
					(code === 1 && screen.includes('killed by SIGUSR1')),
				`killed by SIGUSR1 at ${delay} ms:\n${screen}`,
			);
			t.notRegex(screen, inspectorOpened);
		}
	},
);
