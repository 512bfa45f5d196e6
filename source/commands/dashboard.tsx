// `serialwatch` on a terminal: the full-screen dashboard. This thread only draws; the
// monitoring run lives in a worker (dashboard-worker.ts) that publishes snapshots and
// takes commands. The screen is the terminal's alternate one, given back at exit.
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
	const worker = new Worker(
		new URL('../app/dashboard-worker.js', import.meta.url),
		{workerData},
	);
	const store = createDashboardStore((message) => {
		worker.postMessage(message);
	});
	const done = new Promise<{code: number; message: string}>((resolve) => {
		worker.on('message', (message: FromWorker) => {
			if (message.type === 'state') {
				store.receive(message.snapshot, Date.now());
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
		process.stdout.write(leaveAlternateScreen + showCursor);
		process.off('SIGUSR1', onUsr1);
		io.signal.removeEventListener('abort', quit);
	}

	await worker.terminate();
	io.stderr(result.message);
	return result.code;
}
