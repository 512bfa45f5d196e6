// The dashboard's worker thread: the whole monitoring run (port, files, detector, config
// watcher) lives here, so a terminal that stops reading, which blocks the main thread's
// synchronous TTY writes, freezes only the picture, never the logging.
import {basename} from 'node:path';
import {parentPort, workerData} from 'node:worker_threads';
import {ConfigError, type Config} from '../core/config.js';
import {applyMonitorOverrides} from '../core/config-overrides.js';
import {diffConfig, formatChanges} from '../core/config-diff.js';
import {errorMessage} from '../core/error-message.js';
import {
	watchConfigFile,
	type ConfigWatcher,
	type ConfigWatchResult,
} from '../adapters/config-watcher.js';
import {OutputError} from '../adapters/output-error.js';
import {outputPaths} from '../adapters/output-files.js';
import {PortOpenError} from '../adapters/serial-source.js';
import {runOutcome} from './run-summary.js';
import type {FromWorker, ToWorker, WorkerInput} from './dashboard-protocol.js';
import {createMonitorState} from './monitor-state.js';
import {openMonitorSession, type MonitorSession} from './monitor-session.js';

const port = parentPort!;
// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- what dashboard.tsx passed
const input = workerData as WorkerInput;
const send = (message: FromWorker) => {
	port.postMessage(message);
};

const stopping = new AbortController();
const startedAt = Date.now();
// Made before the session, so the raw.log catch-up's notice and early keys are not lost.
const state = createMonitorState({
	config: input.config,
	configPath: input.configPath,
	demo: input.demo,
	startedAt,
	reportPath: outputPaths(input.config.output).report,
});
let session: MonitorSession | undefined;
let dirty = true;
let awaitingAck = false;
const changed = () => {
	dirty = true;
};

const notice = (text: string, level: 'info' | 'error' = 'info') => {
	state.notice(text, Date.now(), level);
	changed();
};

// One snapshot at a time: the next goes once the screen has taken the last.
const publish = () => {
	if (dirty && !awaitingAck) {
		dirty = false;
		awaitingAck = true;
		// Open incidents as they stand now, so their peak agrees with the reading beside it.
		if (session) {
			state.refreshActive(session.active());
		}

		send({type: 'state', snapshot: state.snapshot(Date.now())});
	}
};

port.on('message', (message: ToWorker) => {
	if (message.type === 'stop') {
		stopping.abort();
	} else if (message.type === 'ack') {
		awaitingAck = false;
	} else if (session) {
		try {
			notice(`report written to ${session.writeReport()}`);
		} catch (error) {
			notice(errorMessage(error), 'error');
		}
	} else {
		notice('the report can be written once the port is open', 'error');
	}
});

// The config in effect: thresholds and history follow each valid edit at once, the port
// and baud once reconnected, the rest stays as started (a restart applies it).
let running: Config = input.config;
let watcher: ConfigWatcher | undefined;

const onConfigEdit = (result: ConfigWatchResult) => {
	if (stopping.signal.aborted) {
		return;
	}

	if (!result.ok) {
		state.configRejected(result.message);
		// One line on screen: the first problem, named by file name, line and key.
		const [first, ...more] = result.message
			.replaceAll(input.configPath, basename(input.configPath))
			.split('\n');
		notice(
			`not applied: ${first}${more.length > 0 ? ` (+${more.length} more)` : ''}`,
			'error',
		);
		return;
	}

	const next = applyMonitorOverrides(result.config, input.overrides);
	const changes = diffConfig(running, next);
	running = {
		...running,
		thresholds: next.thresholds,
		ui: {...running.ui, history_points: next.ui.history_points},
	};
	state.configApplied(running);
	notice(
		changes.length === 0
			? 'config reloaded: nothing changed'
			: `config applied: ${formatChanges(changes)}`,
	);
	const wanted = {
		...running,
		serial: {
			...running.serial,
			port: next.serial.port,
			baud_rate: next.serial.baud_rate,
		},
	};
	// Before the session is open, the edit is applied when it opens (below).
	session?.retune(wanted, changes).then(
		(serial) => {
			running = {...running, serial};
			state.configApplied(running);
			changed();
		},
		(error: unknown) => {
			notice(errorMessage(error), 'error');
		},
	);
};

try {
	// Watched from the start, so an edit made while the port opens is not missed.
	watcher = watchConfigFile(input.configPath, onConfigEdit);
} catch (error) {
	notice(`not watching ${input.configPath}: ${errorMessage(error)}`, 'error');
}

stopping.signal.addEventListener('abort', () => {
	watcher?.close();
});

const publisher = setInterval(
	publish,
	Math.max(20, Math.round(1000 / input.config.ui.max_fps)),
);
// The rate, the heartbeat age and open incidents move with the clock alone.
const clock = setInterval(changed, 1000);
publish();

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
} finally {
	clearInterval(publisher);
	clearInterval(clock);
	watcher?.close();
}

async function run(): Promise<{code: number; message: string}> {
	const opened = await openMonitorSession(
		{
			config: input.config,
			demo: input.demo,
			signal: stopping.signal,
			durationS: input.durationS,
		},
		{
			onEvents(events) {
				state.onEvents(events);
				changed();
			},
			onReadings(rows) {
				state.onReadings(rows);
				changed();
			},
			onErrors(errors) {
				state.onErrors(errors);
				changed();
			},
			onStatus(status) {
				state.onStatus(status, Date.now());
				changed();
			},
			onNotice(text) {
				notice(text);
			},
		},
	);
	try {
		await opened.start();
		// Incidents still open from earlier runs (the raw.log catch-up) start the table.
		state.onEvents(
			opened.active().map((incident) => ({event: 'fired', incident})),
		);
		session = opened;
		// An edit made before the port opened: the thresholds go to the detector now.
		if (running !== input.config) {
			await opened.retune(running, diffConfig(input.config, running));
		}

		return runOutcome(
			await opened.finished,
			input.demo ? 'the demo device' : running.serial.port,
			opened.paths,
		);
	} finally {
		// Whatever went wrong above, the run ends with its files closed and its lock released.
		opened.stop();
		await opened.finished.catch(() => undefined);
	}
}
