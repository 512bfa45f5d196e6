// The dashboard's worker thread: the whole monitoring run (port, files, detector, config
// watcher) lives here, so a terminal that stops reading, which blocks the main thread's
// synchronous TTY writes, freezes only the picture, never the logging.
import {basename} from 'node:path';
import {parentPort, workerData} from 'node:worker_threads';
import {ConfigError} from '../core/config.js';
import {applyMonitorOverrides} from '../core/config-overrides.js';
import {diffConfig, formatChanges} from '../core/config-diff.js';
import {errorMessage} from '../core/error-message.js';
import {watchConfigFile} from '../adapters/config-watcher.js';
import {OutputError} from '../adapters/output-error.js';
import {PortOpenError} from '../adapters/serial-source.js';
import {formatSummary} from '../commands/summary.js';
import type {FromWorker, ToWorker, WorkerInput} from './dashboard-protocol.js';
import {createMonitorState} from './monitor-state.js';
import {openMonitorSession} from './monitor-session.js';

const port = parentPort!;
// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- what dashboard.tsx passed
const input = workerData as WorkerInput;
const send = (message: FromWorker) => {
	port.postMessage(message);
};

const stopping = new AbortController();
let state: ReturnType<typeof createMonitorState> | undefined;
let dirty = true;
const changed = () => {
	dirty = true;
};

const commands: Array<(message: ToWorker) => void> = [];
port.on('message', (message: ToWorker) => {
	if (message.type === 'stop') {
		stopping.abort();
	}

	for (const handle of commands) {
		handle(message);
	}
});

try {
	send({type: 'done', ...(await run())});
} catch (error) {
	const known =
		error instanceof PortOpenError ||
		error instanceof OutputError ||
		error instanceof ConfigError;
	send({
		type: 'done',
		code: 1,
		message: `serialwatch: ${known ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
	});
}

async function run(): Promise<{code: number; message: string}> {
	let {config} = input;
	const session = await openMonitorSession(
		{config, demo: input.demo, signal: stopping.signal},
		{
			onEvents(events) {
				state?.onEvents(events);
				changed();
			},
			onReadings(rows) {
				state?.onReadings(rows);
				changed();
			},
			onErrors(errors) {
				state?.onErrors(errors);
				changed();
			},
			onStatus(status) {
				state?.onStatus(status, Date.now());
				changed();
			},
			onNotice(text) {
				state?.notice(text, Date.now());
				changed();
			},
		},
	);
	state = createMonitorState({
		config,
		configPath: input.configPath,
		demo: input.demo,
		startedAt: session.startedAt,
		reportPath: session.paths.report,
		active: session.active(),
	});
	// Watched from before the port opens, so an edit made meanwhile is not missed.
	const watcher = watchConfigFile(input.configPath, (result) => {
		const now = Date.now();
		if (!result.ok) {
			state!.configRejected(result.message);
			// One line on screen: the first problem, named by file name, line and key.
			const [first, ...more] = result.message
				.replaceAll(input.configPath, basename(input.configPath))
				.split('\n');
			state!.notice(
				`not applied: ${first}${more.length > 0 ? ` (+${more.length} more)` : ''}`,
				now,
				'error',
			);
			changed();
			return;
		}

		const next = applyMonitorOverrides(result.config, input.overrides);
		const changes = diffConfig(config, next);
		config = next;
		state!.configApplied(next);
		state!.notice(
			changes.length === 0
				? 'config reloaded: nothing changed'
				: `config applied: ${formatChanges(changes)}`,
			now,
		);
		changed();
		session.retune(next, changes).catch((error: unknown) => {
			state!.notice(errorMessage(error), Date.now(), 'error');
			changed();
		});
	});

	await session.start().catch((error: unknown) => {
		watcher.close();
		throw error;
	});

	// One snapshot at a time: the next goes once the screen has taken the last.
	let awaitingAck = false;
	const publish = () => {
		if (dirty && !awaitingAck) {
			dirty = false;
			// Open incidents as they stand now, so their peak agrees with the reading beside it.
			state!.refreshActive(session.active());
			awaitingAck = true;
			send({type: 'state', snapshot: state!.snapshot(Date.now())});
		}
	};

	commands.push((message) => {
		if (message.type === 'ack') {
			awaitingAck = false;
		} else if (message.type === 'report') {
			try {
				state!.notice(`report written to ${session.writeReport()}`, Date.now());
			} catch (error) {
				state!.notice(errorMessage(error), Date.now(), 'error');
			}

			changed();
		}
	});
	const publisher = setInterval(
		publish,
		Math.max(20, Math.round(1000 / config.ui.max_fps)),
	);
	// The rate, the heartbeat age and open incidents move with the clock alone.
	const clock = setInterval(changed, 1000);
	const timer =
		input.durationS === undefined
			? undefined
			: setTimeout(() => {
					stopping.abort();
				}, input.durationS * 1000);
	publish();

	const result = await session.finished;
	clearInterval(publisher);
	clearInterval(clock);
	clearTimeout(timer);
	watcher.close();
	if (result.failure) {
		return {code: 1, message: `serialwatch: stopped: ${result.failure}\n`};
	}

	return {
		code: 0,
		message: formatSummary({
			source: input.demo ? 'the demo device' : config.serial.port,
			seconds: (result.stoppedAt - result.startedAt) / 1000,
			stats: result.stats,
			report: result.report,
			paths: session.paths,
		}),
	};
}
