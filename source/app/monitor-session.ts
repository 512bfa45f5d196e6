// One monitoring run, without a face: port -> line splitter -> raw.log, then parser ->
// CSV, error log and detector, with a clock that ticks the detector. The headless
// command prints what it reports; the dashboard's worker publishes it to the screen.
import {protocolLimits, type Config} from '../core/config.js';
import type {ConfigChange} from '../core/config-diff.js';
import {createDetector, type Detector} from '../core/detector.js';
import {errorMessage} from '../core/error-message.js';
import type {IncidentEvent, ReportEntry} from '../core/incident.js';
import {createLineSplitter} from '../core/line-splitter.js';
import type {MetricsRow} from '../adapters/metrics-csv.js';
import {outputPaths, openOutputFiles} from '../adapters/output-files.js';
import type {ParserError} from '../adapters/parser-error-log.js';
import {writeReport} from '../adapters/report-writer.js';
import {
	createSerialSource,
	PortOpenError,
	type SerialSource,
	type SourceStatus,
} from '../adapters/serial-source.js';
import {startDemoDevice, type DemoDevice} from '../adapters/demo-device.js';
import {feedRawLog} from './feed-raw-log.js';
import {createLinePipeline, type PipelineStats} from './line-pipeline.js';

export type SessionHooks = {
	onEvents(events: readonly IncidentEvent[]): void;
	onStatus(status: SourceStatus): void;
	/** Human messages: the catch-up, a reconnect after a config change. */
	onNotice(text: string): void;
	onReadings?(rows: readonly MetricsRow[]): void;
	onErrors?(errors: readonly ParserError[]): void;
};

export type SessionResult = {
	/** Why the run stopped early (a write failed), if it did. */
	failure: string | undefined;
	startedAt: number;
	stoppedAt: number;
	stats: PipelineStats;
	report: ReportEntry[];
};

export type MonitorSession = {
	readonly stats: Readonly<PipelineStats>;
	readonly paths: ReturnType<typeof outputPaths>;
	readonly startedAt: number;
	/** Resolves when the run has stopped (signal, stop(), or a failed write) and the files are closed. */
	readonly finished: Promise<SessionResult>;
	/** Opens the port; rejects with a PortOpenError when it cannot. */
	start(): Promise<void>;
	stop(): void;
	/** Writes anomaly_report.json now; returns its path. */
	writeReport(): string;
	/**
	 * Applies a validated config's live changes: thresholds at once, a new port or baud by
	 * reconnecting. Resolves with the serial settings in effect after it (the old ones if the new port would not open).
	 */
	retune(
		config: Config,
		changes: readonly ConfigChange[],
	): Promise<Config['serial']>;
	active(): ReportEntry[];
};

// Often enough that HEARTBEAT_LOSS fires within a quarter second of its timeout.
const tickIntervalMs = 250;

export async function openMonitorSession(
	options: {
		config: Config;
		demo: boolean;
		signal: AbortSignal;
		/** Stop this long after the port opens, as if interrupted. */
		durationS?: number | undefined;
	},
	hooks: SessionHooks,
): Promise<MonitorSession> {
	let {config} = options;
	const paths = outputPaths(config.output);
	const files = openOutputFiles(paths);
	const startedAt = Date.now();
	const limits = protocolLimits(config);
	// The report covers the whole raw.log, earlier runs included, exactly as a replay of it
	// would: the detector first takes up where the file leaves off. A silence before the
	// first line ever is counted from this start.
	const earlierLines = files.raw.linesAtOpen;
	const detector: Detector = createDetector(
		config.thresholds,
		earlierLines === 0 ? {startedAt} : {},
	);
	if (earlierLines > 0) {
		const ignore = {append: () => undefined};
		await feedRawLog(
			paths.raw,
			config.serial.max_line_bytes,
			createLinePipeline(limits, detector, {
				metrics: ignore,
				errors: ignore,
				events: () => undefined,
			}),
			{onProblem: () => undefined, signal: options.signal},
		);
		hooks.onNotice(
			`took up ${earlierLines} earlier lines of ${paths.raw} (${detector.report(startedAt).length} incidents so far)`,
		);
	}

	const pipeline = createLinePipeline(limits, detector, {
		metrics: {
			append(rows) {
				files.metrics.append(rows);
				hooks.onReadings?.(rows);
			},
		},
		errors: {
			append(errors) {
				files.errors.append(errors);
				hooks.onErrors?.(errors);
			},
		},
		events: hooks.onEvents,
	});
	const splitter = createLineSplitter(config.serial.max_line_bytes);
	let failure: string | undefined;
	// Ends the run: a signal (perhaps already during the catch-up), stop(), or a failure.
	const finish = new AbortController();
	const abort = () => {
		finish.abort();
	};

	if (options.signal.aborted) {
		abort();
	}

	options.signal.addEventListener('abort', abort);

	// A line still open at the end is logged with the time its last bytes arrived.
	let lastChunkAt = startedAt;
	const ingest = (chunk: Uint8Array, time: number) => {
		if (failure) {
			return;
		}

		lastChunkAt = time;
		try {
			const lines = splitter.push(chunk);
			pipeline.process(time, files.raw.append(time, lines), lines);
		} catch (error) {
			// A write that fails (disk full, file removed) ends the run: say which and stop.
			failure = errorMessage(error);
			abort();
		}
	};

	const demo: DemoDevice | undefined = options.demo
		? startDemoDevice(config, finish.signal)
		: undefined;
	const openSource = (settings: Config) =>
		createSerialSource({
			path: settings.serial.port,
			baudRate: settings.serial.baud_rate,
			reconnectIntervalMs: settings.serial.reconnect_interval_s * 1000,
			// The demo's mock port is no file to watch.
			...(demo && {createPort: demo.createPort, identify: false}),
			onData: ingest,
			onStatus: hooks.onStatus,
		});

	let source: SerialSource = openSource(config);
	let ticker: NodeJS.Timeout | undefined;
	let timer: NodeJS.Timeout | undefined;
	let openFailed = false;
	// The first open and each retune's reconnect, in order: a stop waits for them, and a
	// retune waits for the one before it.
	let pending: Promise<unknown> = Promise.resolve();

	const writeReportNow = () => {
		writeReport(paths.report, detector.report(Date.now()));
		return paths.report;
	};

	const finished = (async (): Promise<SessionResult> => {
		await new Promise<void>((resolve) => {
			if (finish.signal.aborted) {
				resolve();
			} else {
				finish.signal.addEventListener('abort', () => {
					resolve();
				});
			}
		});
		options.signal.removeEventListener('abort', abort);
		await pending.catch(() => undefined);
		clearInterval(ticker);
		clearTimeout(timer);
		await demo?.stop();
		await source.stop();
		// Bytes after the last newline were received too: they go to raw.log as a last line.
		const rest = splitter.flush();
		if (rest && !failure) {
			pipeline.process(lastChunkAt, files.raw.append(lastChunkAt, [rest]), [
				rest,
			]);
		}

		files.close();
		const stoppedAt = Date.now();
		if (!failure) {
			pipeline.tick(stoppedAt);
		}

		const report = detector.report(stoppedAt);
		// A port that would not open leaves no report behind: the run never began.
		if (!openFailed) {
			writeReport(paths.report, report);
		}

		return {failure, startedAt, stoppedAt, stats: pipeline.stats, report};
	})();

	/** Moves to the settings' port; if it will not open, back to the one before, retrying until it does. */
	const reconnect = async (next: Config, previous: Config) => {
		await source.stop();
		if (finish.signal.aborted) {
			return previous.serial;
		}

		source = openSource(next);
		try {
			await source.start();
			hooks.onNotice(
				`reconnected: ${next.serial.port} at ${next.serial.baud_rate} baud`,
			);
			return next.serial;
		} catch (error) {
			// A typo in the path must not end the monitoring.
			const reason =
				error instanceof PortOpenError
					? error.message.split('\n')[0]!
					: errorMessage(error);
			hooks.onNotice(
				`${reason} Staying on ${previous.serial.port} at ${previous.serial.baud_rate} baud.`,
			);
			source = openSource(previous);
			if (!finish.signal.aborted) {
				source.startRetrying();
			}

			return previous.serial;
		}
	};

	return {
		stats: pipeline.stats,
		paths,
		startedAt,
		finished,
		async start() {
			// Stopped already (during the raw.log catch-up): the stop has done the rest.
			if (finish.signal.aborted) {
				return;
			}

			const opening = source.start();
			pending = opening;
			try {
				await opening;
			} catch (error) {
				// Nothing was received: close the files and leave no run behind.
				openFailed = true;
				abort();
				await finished.catch(() => undefined);
				throw error;
			}

			// Stopped while the port was opening: the stop has it closed; start nothing more.
			if (finish.signal.aborted) {
				return;
			}

			demo?.start();
			ticker = setInterval(() => {
				pipeline.tick(Date.now());
			}, tickIntervalMs);
			if (options.durationS !== undefined) {
				timer = setTimeout(abort, options.durationS * 1000);
			}
		},
		stop: abort,
		writeReport: writeReportNow,
		async retune(next, changes) {
			detector.retune(next.thresholds);
			const needsReconnect = changes.some(
				(change) => change.effect === 'reconnect',
			);
			if (!needsReconnect || finish.signal.aborted) {
				return config.serial;
			}

			if (demo) {
				hooks.onNotice(
					'the demo device has no real port: serial.* changes apply to a real one',
				);
				return config.serial;
			}

			const previous = config;
			const done = pending
				.catch(() => undefined)
				.then(async () => reconnect(next, previous));
			pending = done;
			const serial = await done;
			config = {...next, serial};
			return serial;
		},
		active() {
			return detector.active(Date.now());
		},
	};
}
