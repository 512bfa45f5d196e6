// One monitoring run, without a face: port -> line splitter -> raw.log, then parser ->
// CSV, error log and detector, with a clock that ticks the detector. The headless
// command prints what it reports; the dashboard's collector process publishes it to the
// screen. Which config is in effect is not kept here: live-config.ts owns it and calls
// retune() with each valid edit.
import {existsSync} from 'node:fs';
import {setImmediate as nextTurn} from 'node:timers/promises';
import {detectorSettings, deviceProfile, type Config} from '../core/config.js';
import type {ConfigChange} from '../core/config-diff.js';
import {errorMessage} from '../core/error-message.js';
import {
	countEntry,
	emptyReportSummary,
	type ReportSummary,
} from '../core/report-summary.js';
import type {IncidentEvent, ReportEntry} from '../core/incident.js';
import type {Prediction} from '../core/prediction.js';
import type {MetricsRow} from '../adapters/metrics-csv.js';
import {outputPaths, openOutputFiles} from '../adapters/output-files.js';
import type {ParserError} from '../adapters/parser-error-log.js';
import {openReportFile, slices} from '../adapters/report-writer.js';
import {
	createSerialConnection,
	type SerialSettings,
} from '../adapters/serial-connection.js';
import {type SourceStatus, type CreatePort} from '../adapters/serial-source.js';
import {createUtf16Watch} from '../core/utf16-text.js';
import {createPredictedFieldsNotice} from './predicted-fields-notice.js';
import {takeUpHistory, tookUpNotices} from './history-take-up.js';
import {openIntegrations, runIdentity} from './integrations.js';
import {findResumePoint} from './resume-point.js';
import {
	withObservers,
	type ObserverHealth,
	type RunObserver,
} from './run-observer.js';
import {openRunHistory, statePaths} from './run-history.js';
import {
	createBatchPipeline,
	deviceCodec,
	type PipelineStats,
} from './line-pipeline.js';
import {createLineRecorder} from './line-recorder.js';
import {createCatchUpGate} from './catch-up-gate.js';
import {createMismatchWatch, mismatchNotice} from './protocol-mismatch.js';

export type SessionHooks = {
	onEvents(events: readonly IncidentEvent[]): void;
	onStatus(status: SourceStatus): void;
	/** Human messages: the catch-up, a reconnect after a config change. */
	onNotice(text: string): void;
	onReadings?(rows: readonly MetricsRow[]): void;
	onErrors?(errors: readonly ParserError[]): void;
	/** Every line as received and logged, `firstLine` being the raw.log number of the first. */
	onLines?(time: number, firstLine: number, lines: readonly Uint8Array[]): void;
};

export type SessionResult = {
	/** Why the run stopped early (a write failed), if it did. */
	failure: string | undefined;
	startedAt: number;
	stoppedAt: number;
	stats: PipelineStats;
	/** What the final report held (counted as it was written, or read through if it was not). */
	report: ReportSummary;
	/** How each integration ended: what it delivered and dropped. */
	integrations: ObserverHealth[];
};

export type MonitorSession = {
	readonly stats: Readonly<PipelineStats>;
	readonly paths: ReturnType<typeof outputPaths>;
	readonly startedAt: number;
	/** Resolves when the run has stopped (signal, stop(), or a failed write) and the files are closed. */
	readonly finished: Promise<SessionResult>;
	/**
	 * Opens the port (or starts waiting for it), then takes up the raw.log that is already
	 * there; rejects with a PortOpenError when it can do neither. What arrives meanwhile is
	 * in raw.log at once, and goes to the detector and the CSV after the history.
	 */
	start(): Promise<void>;
	stop(): void;
	/**
	 * Writes anomaly_report.json once the earlier raw.log is taken up (now, if it is);
	 * resolves with its path. Rejects if the run stops before the catch-up is done.
	 */
	writeReport(): Promise<string>;
	/**
	 * Applies a validated config's live changes: thresholds at once, a new port or baud by
	 * reconnecting. Resolves with the serial settings in effect after it (the old ones if
	 * the new port would not open).
	 */
	retune(
		config: Config,
		changes: readonly ConfigChange[],
	): Promise<Pick<Config['serial'], 'port' | 'baud_rate'>>;
	active(): ReportEntry[];
	/** The time-to-threshold predictions that hold now. */
	predictions(): readonly Prediction[];
	/** The integrations that are on, and how each is doing. */
	integrations(): ObserverHealth[];
};

// Often enough that HEARTBEAT_LOSS fires within 50 ms of its timeout (a tick that finds
// nothing due costs a few microseconds).
const tickIntervalMs = 50;
// A crash costs the next start at most this much of raw.log to read again.
const checkpointIntervalMs = 10_000;
// How long the integrations may take, at a stop, to deliver what they still hold.
const observerCloseMs = 2000;

export function serialSettings(config: Config): SerialSettings {
	return {
		port: config.serial.port,
		baudRate: config.serial.baud_rate,
		reconnectIntervalMs: config.serial.reconnect_interval_s * 1000,
		waitForPort: config.serial.wait_for_port,
	};
}

/**
 * A device played inside this process (the demo): the port its factory makes replaces the
 * real one, and it starts playing once the run is under way.
 */
export type PlayedDevice = {
	createPort: CreatePort;
	start(): void;
	stop(): Promise<void>;
};

export function openMonitorSession(
	options: {
		config: Config;
		/** A device played in-process instead of the configured port (the demo). */
		device?: PlayedDevice | undefined;
		/** Wall-clock time in epoch milliseconds (Date.now): what lines and ticks are stamped with. */
		clock?: () => number;
		signal: AbortSignal;
		/**
		 * Stop this long after start(), as if interrupted: during the take-up of a long raw.log
		 * or a wait for the port, too (a stop during the take-up leaves the report as it was).
		 */
		durationS?: number | undefined;
	},
	given: SessionHooks,
): MonitorSession {
	const {config, device: demo} = options;
	const now = options.clock ?? Date.now;
	// Opened by start(); told everything the hooks are told from then on.
	const observers: RunObserver[] = [];
	const hooks = withObservers(given, observers, given.onNotice);
	const paths = outputPaths(config.output);
	const resume = existsSync(paths.raw)
		? findResumePoint(
				{raw: paths.raw, checkpoint: statePaths(paths.dir).checkpoint},
				{
					settings: detectorSettings(config),
					maxLineBytes: config.serial.max_line_bytes,
				},
			)
		: {reason: 'no raw.log yet'};
	const files = openOutputFiles(
		paths,
		deviceProfile(config),
		resume.checkpoint?.rawLog,
	);
	for (const notice of files.notices) {
		hooks.onNotice(notice);
	}

	const startedAt = now();
	// The report covers the whole raw.log, earlier runs included, exactly as a replay of it
	// would: start() first takes up where the file leaves off, from the checkpoint if it holds.
	let history;
	try {
		history = openRunHistory({
			config,
			outputDir: paths.dir,
			files,
			rawPath: paths.raw,
			resume,
		});
	} catch (error) {
		files.close();
		throw error;
	}

	const {detector, derived} = history;
	// Only this run's lines: what the device sends now, not what an earlier run logged.
	const mismatch = createMismatchWatch(files.raw.linesAtOpen);
	const pipeline = createBatchPipeline(deviceCodec(config), detector, {
		metrics: {
			append(rows) {
				derived.metrics.append(rows);
				mismatch.readings(rows);
				hooks.onReadings?.(rows);
			},
		},
		errors: {
			append(errors) {
				derived.errors.append(errors);
				hooks.onErrors?.(errors);
				if (mismatch.errors(errors)) {
					hooks.onNotice(mismatchNotice(connection.settings.port));
				}
			},
		},
		events: hooks.onEvents,
	});
	// Ends the run: a signal (perhaps already during the catch-up), stop(), or a failed write.
	const finish = new AbortController();
	const abort = () => {
		finish.abort();
	};

	if (options.signal.aborted) {
		abort();
	}

	options.signal.addEventListener('abort', abort);
	// Until the history is taken up, lines go to raw.log only; the pipeline reads them back.
	const gate = createCatchUpGate({
		rawPath: paths.raw,
		raw: files.raw,
		pipeline,
		detector,
		shut: files.raw.linesAtOpen > 0,
	});
	const watchUtf16 = createUtf16Watch();
	const recorder = createLineRecorder({
		maxLineBytes: config.serial.max_line_bytes,
		raw: files.raw,
		pipeline: gate,
		onLines(time, firstLine, lines) {
			const notice = watchUtf16(firstLine, lines);
			if (notice) {
				hooks.onNotice(notice);
			}

			hooks.onLines?.(time, firstLine, lines);
		},
		onFailure: abort,
		startedAt,
	});

	const connection = createSerialConnection(serialSettings(config), {
		onData: recorder.ingest,
		onStatus(status) {
			// Bytes after the last newline belong to the opening that ended: a lost port
			// ends them as a line of their own, stamped when they arrived, and so does any
			// new opening (a move to another port reports no loss), before its first byte.
			if (status.state === 'lost' || status.state === 'open') {
				recorder.flush();
			}

			// What comes through a new opening is not compared with what came before it.
			if (status.state === 'open') {
				gate.reconnected(now());
			}

			hooks.onStatus(status);
		},
		onNotice: hooks.onNotice,
		now,
		// The demo's mock port is no file to watch.
		...(demo && {createPort: demo.createPort, identify: false}),
	});
	// The catch-up and the first open: a stop and a retune wait for them.
	let starting: Promise<unknown> = Promise.resolve();
	let openFailed = false;
	// Whether the report covers the whole earlier raw.log: until then it is not written,
	// or a stop would leave a report of part of the file (and a silence where reading stopped).
	let caughtUp = files.raw.linesAtOpen === 0;
	let markCaughtUp: (done: boolean) => void = () => undefined;
	const catchUp = new Promise<boolean>((resolve) => {
		markCaughtUp = resolve;
	});
	if (caughtUp) {
		markCaughtUp(true);
	}

	const reportFile = openReportFile(paths.report);

	// Whether the port was opened or waited for: only then has the device's silence been seen.
	let listened = false;
	const timers: NodeJS.Timeout[] = [];

	let checkpointFailed = false;
	const saveCheckpoint = () => {
		// After a failed write the derived files may lack lines: the next start completes them.
		if (recorder.failure) {
			return;
		}

		const problem = history.save();
		// Said once: the run goes on, and the next start reads more of raw.log.
		if (problem && !checkpointFailed) {
			checkpointFailed = true;
			hooks.onNotice(`${problem}; the next start takes up more of raw.log`);
		}
	};

	const finished = (async (): Promise<SessionResult> => {
		if (!finish.signal.aborted) {
			await new Promise((resolve) => {
				finish.signal.addEventListener('abort', resolve);
			});
		}

		options.signal.removeEventListener('abort', abort);
		await starting.catch(() => undefined);
		for (const timer of timers) {
			clearTimeout(timer);
		}

		await demo?.stop();
		await connection.stop();
		recorder.flush();
		files.close();
		const stoppedAt = now();
		let {failure} = recorder;
		// A detector still behind raw.log (stopped during the catch-up) is not ticked.
		if (!failure && listened && caughtUp) {
			pipeline.tick(stoppedAt);
		}

		markCaughtUp(caughtUp);
		// A run that failed to write, or never began, leaves the last checkpoint as it was.
		if (!failure && !openFailed && caughtUp) {
			saveCheckpoint();
		}

		const entries = detector.reportEntries(stoppedAt);
		let report = emptyReportSummary();
		// A port that would not open leaves no report behind: the run never began. A stop
		// during the catch-up leaves the report as the last run wrote it.
		if (!openFailed && caughtUp) {
			try {
				report = await reportFile.save(entries);
			} catch (error) {
				// A full disk refuses the report too: the first failure is the one to tell.
				if (!failure) {
					throw error;
				}

				failure += `\n${errorMessage(error)}`;
			}
		} else {
			for (const slice of slices(entries)) {
				for (const entry of slice) {
					countEntry(report, entry);
				}

				// eslint-disable-next-line no-await-in-loop -- a second signal is heard between slices
				await nextTurn();
			}

			if (!caughtUp) {
				hooks.onNotice(
					`stopped while taking up ${paths.raw}: ${paths.report} is left as it was`,
				);
			}
		}

		history.close();
		// What the sinks still hold gets a moment to go out; the run is over either way.
		await Promise.all(
			observers.map(async (observer) => observer.close(observerCloseMs)),
		);
		return {
			failure,
			startedAt,
			stoppedAt,
			stats: pipeline.stats,
			report,
			integrations: observers.flatMap((observer) => observer.health()),
		};
	})();

	/** The run cannot begin: it ends, and leaves no report behind. */
	const noRun = (error: unknown) => {
		openFailed = true;
		abort();
		return error;
	};

	const sayMetricsKeepPredictedFields = createPredictedFieldsNotice(
		config,
		hooks.onNotice,
	);

	const start = async () => {
		// From here, not from when the run is under way: `--duration 3` stops in 3 s, as a
		// Ctrl-C then would, however long raw.log takes to be taken up.
		if (options.durationS !== undefined) {
			timers.push(setTimeout(abort, options.durationS * 1000));
		}

		try {
			observers.push(
				...(await openIntegrations(
					config,
					runIdentity(config, demo !== undefined),
					{
						onNotice: given.onNotice,
						predictions: () => detector.predictions(now()),
						clock: now,
					},
				)),
			);
		} catch (error) {
			throw noRun(error);
		}

		// Stopped already: no port is opened for nothing.
		if (finish.signal.aborted) {
			return;
		}

		// The port first: what the device sends during a long catch-up is in raw.log as it
		// comes, where a port opened after it would have lost it (serialport flushes at open).
		try {
			await connection.start();
		} catch (error) {
			// Nothing was received: close the files and leave no run behind.
			throw noRun(error);
		}

		// Stopped while the port was opening: the stop has it closed; start nothing more.
		if (finish.signal.aborted) {
			return;
		}

		listened = true;
		const earlierLines = files.raw.linesAtOpen;
		if (earlierLines > 0) {
			const takeUp = {history, gate, paths, earlierLines};
			let added;
			try {
				added = await takeUpHistory({
					...takeUp,
					signal: finish.signal,
					onNotice: hooks.onNotice,
				});
			} catch (error) {
				// A derived file that cannot be completed (the disk is still full): no run.
				throw noRun(error);
			}

			// Stopped during the take-up: the gate stays shut, the report as it was.
			if (!added) {
				return;
			}

			caughtUp = true;
			markCaughtUp(true);
			for (const notice of tookUpNotices(takeUp, added, files)) {
				hooks.onNotice(notice);
			}
		}

		demo?.start();
		timers.push(
			setInterval(() => {
				pipeline.tick(now());
			}, tickIntervalMs),
			setInterval(saveCheckpoint, checkpointIntervalMs),
		);
	};

	return {
		stats: pipeline.stats,
		paths,
		startedAt,
		finished,
		async start() {
			starting = start();
			try {
				await starting;
			} catch (error) {
				await finished.catch(() => undefined);
				throw error;
			}
		},
		stop: abort,
		async writeReport() {
			if (!(await catchUp)) {
				throw new Error(
					`the run stopped before ${paths.raw} was taken up: ${paths.report} is left as it was`,
				);
			}

			await reportFile.save(detector.reportEntries(now()));
			return paths.report;
		},
		async retune(next, changes) {
			await starting.catch(() => undefined);
			// A rule the edit removed resolves its open incident at the retune.
			const nextSettings = detectorSettings(next);
			const resolved = detector.retune(nextSettings);
			sayMetricsKeepPredictedFields(nextSettings);
			if (resolved.length > 0) {
				hooks.onEvents(resolved);
			}

			const current = connection.settings;
			const inEffect = {port: current.port, baud_rate: current.baudRate};
			if (
				!changes.some((change) => change.effect === 'reconnect') ||
				finish.signal.aborted
			) {
				return inEffect;
			}

			if (demo) {
				hooks.onNotice(
					'the demo device has no real port: serial.* changes apply to a real one',
				);
				return inEffect;
			}

			const settings = await connection.retune(serialSettings(next));
			return {port: settings.port, baud_rate: settings.baudRate};
		},
		active() {
			return detector.active(now());
		},
		predictions() {
			return detector.predictions(now());
		},
		integrations() {
			return observers.flatMap((observer) => observer.health());
		},
	};
}
