// `serialwatch` on a terminal: the full-screen dashboard. This thread only draws; the
// monitoring run lives in a worker (dashboard-worker.ts) that publishes snapshots and
// takes commands. The screen is the terminal's alternate one, given back at exit.
import {writeSync} from 'node:fs';
import process from 'node:process';
import {Worker} from 'node:worker_threads';
import {render} from 'ink';
import type {Config} from '../core/config.js';
import type {MonitorOverrides} from '../core/config-overrides.js';
import {createDashboardStore} from '../app/dashboard-store.js';
import type {FromWorker, WorkerInput} from '../app/dashboard-protocol.js';
import {Dashboard} from '../ui/dashboard.js';
import type {CommandIo} from './command-io.js';

export type DashboardOptions = {
	config: Config;
	configPath: string;
	overrides: MonitorOverrides;
	demo: boolean;
	durationS: number | undefined;
};

const enterAlternateScreen = '\u001B[?1049h\u001B[H';
const leaveAlternateScreen = '\u001B[?1049l';
const showCursor = '\u001B[?25h';

export async function dashboard(
	options: DashboardOptions,
	io: CommandIo,
): Promise<number> {
	const workerData: WorkerInput = {
		config: options.config,
		configPath: options.configPath,
		overrides: options.overrides,
		demo: options.demo,
		durationS: options.durationS,
	};
	// The worker's own output (a warning from a library) would land inside the frame: it is
	// kept and printed once the screen is given back.
	const worker = new Worker(
		new URL('../app/dashboard-worker.js', import.meta.url),
		{workerData, stdout: true, stderr: true},
	);
	const workerOutput: string[] = [];
	for (const stream of [worker.stdout, worker.stderr]) {
		stream.setEncoding('utf8').on('data', (text: string) => {
			workerOutput.push(text);
		});
	}

	const store = createDashboardStore(
		(message) => {
			worker.postMessage(message);
		},
		() => {
			// q or Ctrl+C again while the stop hangs (a wedged USB adapter): leave now.
			restoreTerminal();
			process.stderr.write('serialwatch: quit again: exiting now\n');
			process.exit(1);
		},
	);
	const done = new Promise<{code: number; message: string}>((resolve) => {
		worker.on('message', (message: FromWorker) => {
			if (message.type === 'state') {
				store.receive(message.snapshot);
				worker.postMessage({type: 'ack'});
			} else {
				resolve(message);
			}
		});
		worker.on('error', (error) => {
			resolve({
				code: 1,
				message: `serialwatch: ${error.stack ?? error.message}\n`,
			});
		});
		worker.on('exit', (code) => {
			resolve({
				code: 1,
				message: `serialwatch: the monitoring thread ended unexpectedly (code ${code})\n`,
			});
		});
	});

	const onUsr1 = () => {
		store.writeReport();
	};

	const quit = () => {
		store.quit();
	};

	// Without a listener, Node.js takes SIGUSR1 to start its inspector.
	process.on('SIGUSR1', onUsr1);
	io.signal.addEventListener('abort', quit);
	if (io.signal.aborted) {
		quit();
	}

	// Any exit, even one that skips the finally below (a second signal), gives the screen back.
	process.once('exit', restoreTerminal);
	process.stdout.write(enterAlternateScreen);
	const ink = render(<Dashboard store={store} />, {
		maxFps: options.config.ui.max_fps,
		exitOnCtrlC: false,
		incrementalRendering: true,
	});
	let result: {code: number; message: string};
	try {
		result = await done;
	} finally {
		ink.unmount();
		await ink.waitUntilExit().catch(() => undefined);
		restoreTerminal();
		process.off('exit', restoreTerminal);
		process.off('SIGUSR1', onUsr1);
		io.signal.removeEventListener('abort', quit);
	}

	await worker.terminate();
	io.stderr(workerOutput.join('') + result.message);
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
