// `serialwatch` on a terminal: the full-screen dashboard. This process only draws and
// forwards keys; the monitoring run lives in a collector process (app/collector.ts) that
// publishes snapshots and takes commands. It is a process, not a worker thread, because
// serialport's native poller cannot run in a worker (serialport/node-serialport#2748,
// #2974). The screen is the terminal's alternate one, given back on every exit.
import {writeSync} from 'node:fs';
import process from 'node:process';
import {fork} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {render} from 'ink';
import {createDashboardStore} from '../app/dashboard-store.js';
import {createFramePacer} from '../app/frame-pacer.js';
import type {FromCollector, ToCollector} from '../app/collector-protocol.js';
import type {MonitorOptions} from '../app/monitor-options.js';
import {Dashboard} from '../ui/dashboard.js';
import {inspectorGuard} from '../adapters/inspector-guard.js';
import {describeFailure} from '../core/describe-failure.js';
import type {CommandIo} from './command-io.js';

const enterAlternateScreen = '\u001B[?1049h\u001B[H';
const leaveAlternateScreen = '\u001B[?1049l';
const showCursor = '\u001B[?25h';
// The screen's process may use this share of a core: a frame at 100x30 costs Ink about
// 10 ms of CPU here (layout, then every cell of the screen re-drawn and re-measured), so
// about three frames a second; a faster machine or a smaller terminal draws more, up to
// ui.max_fps.
const cpuShare = 0.03;

const collectorPath = fileURLToPath(
	new URL('../app/collector-process.js', import.meta.url),
);

export async function dashboard(
	options: MonitorOptions,
	io: CommandIo,
): Promise<number> {
	// The collector's own output (a warning from a library) would land inside the frame:
	// it is kept and printed once the screen is given back. Same process group: a hung-up
	// terminal's SIGHUP reaches it too.
	const collector = fork(collectorPath, [], {
		serialization: 'advanced',
		stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
		// A SIGUSR1 during Node's start-up must not open the inspector, however the screen
		// process itself was started.
		execArgv: [inspectorGuard],
	});
	const collectorOutput: string[] = [];
	for (const stream of [collector.stdout!, collector.stderr!]) {
		stream.setEncoding('utf8').on('data', (text: string) => {
			collectorOutput.push(text);
		});
	}

	const send = (message: ToCollector) => {
		if (collector.connected) {
			// A collector that is gone fails the send: its exit says why.
			collector.send(message, () => undefined);
		}
	};

	send({type: 'start', input: options});
	// Frames are paced here, one per change or batch of changes, and Ink draws each commit
	// at once (maxFps 0 below): its own throttle pushes its trailing frame back on every
	// call, so a steady 10 commits a second drew 5 frames, and it laid out every commit it
	// did not draw.
	const pacer = createFramePacer({
		maxFps: options.config.ui.max_fps,
		cpuShare,
		maxGapMs: 1000,
		now: () => performance.now(),
		cpuTime() {
			const {user, system} = process.cpuUsage();
			return (user + system) / 1000;
		},
		schedule(run, ms) {
			const timer = setTimeout(run, ms);
			return () => {
				clearTimeout(timer);
			};
		},
	});
	const store = createDashboardStore(
		send,
		() => {
			// q or Ctrl+C again while the stop hangs (a wedged USB adapter): leave now. The
			// collector sees the channel close and finishes its files on its own.
			restoreTerminal();
			process.stderr.write('serialwatch: quit again: exiting now\n');
			// eslint-disable-next-line unicorn/no-process-exit -- the CLI's own forced exit
			process.exit(1);
		},
		pacer,
	);
	const done = new Promise<{code: number; message: string}>((resolve) => {
		collector.on('message', (message: FromCollector) => {
			if (message.type === 'state') {
				store.receive(message.snapshot);
				// The next snapshot is of use when the next frame may be drawn, not before.
				send({type: 'ack', readyInMs: Math.round(pacer.readyIn())});
			} else {
				resolve(message);
			}
		});
		collector.on('error', (error) => {
			resolve({
				code: 1,
				message: `serialwatch: cannot run the collector process: ${error.message}\n`,
			});
		});
		collector.on('exit', (code, signal) => {
			resolve({
				code: 1,
				message: `serialwatch: the collector process (pid ${collector.pid}) ended unexpectedly (${signal ? `killed by ${signal}` : `exit code ${code}`}); the files hold every line it had received\n`,
			});
		});
	});

	const quit = () => {
		store.quit();
	};

	const onUncaught = (error: Error) => {
		// The screen first, or the trace is drawn on the alternate screen and lost with it.
		restoreTerminal();
		const {exitCode, message} = describeFailure(error);
		process.stderr.write(`serialwatch: ${message}\n`);
		// eslint-disable-next-line unicorn/no-process-exit -- as Node.js would, screen restored
		process.exit(exitCode);
	};

	const stopAnswering = io.reportRequests.answer(() => {
		store.writeReport();
	});
	process.on('uncaughtException', onUncaught);
	io.signal.addEventListener('abort', quit);
	if (io.signal.aborted) {
		quit();
	}

	// Any exit, even one that skips the finally below (a second signal), gives the screen back.
	process.once('exit', restoreTerminal);
	process.stdout.write(enterAlternateScreen);
	const ink = render(<Dashboard store={store} />, {
		maxFps: 0,
		exitOnCtrlC: false,
		incrementalRendering: true,
	});
	let result: {code: number; message: string};
	try {
		result = await done;
	} finally {
		store.close();
		ink.unmount();
		await ink.waitUntilExit().catch(() => undefined);
		restoreTerminal();
		process.off('exit', restoreTerminal);
		stopAnswering();
		process.off('uncaughtException', onUncaught);
		io.signal.removeEventListener('abort', quit);
	}

	// The collector exits by itself once it has said 'done'; 'close' comes once its output
	// has all been read too.
	if (collector.stdout!.readable || collector.stderr!.readable) {
		await new Promise((resolve) => {
			collector.once('close', resolve);
		});
	}

	io.stderr(collectorOutput.join('') + result.message);
	return result.code;
}

function restoreTerminal(): void {
	try {
		// Synchronous: this may run in process.on('exit').
		writeSync(1, leaveAlternateScreen + showCursor);
	} catch {
		// The terminal is gone (hung up): nothing to restore.
	}
}
