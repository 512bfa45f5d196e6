// `serialwatch [monitor]`: port -> line splitter -> raw.log, then parser -> CSV, error
// log and detector. Headless, every incident event is one JSON line on stdout and a
// summary goes to stderr at exit.
import process from 'node:process';
import {protocolLimits, type Config} from '../core/config.js';
import {createDetector} from '../core/detector.js';
import {errorMessage} from '../core/error-message.js';
import type {IncidentEvent} from '../core/incident.js';
import {createLineSplitter} from '../core/line-splitter.js';
import {outputPaths, openOutputFiles} from '../adapters/output-files.js';
import {writeReport} from '../adapters/report-writer.js';
import {createSerialSource, PortOpenError} from '../adapters/serial-source.js';
import {startDemoDevice} from '../adapters/demo-device.js';
import {feedRawLog} from '../app/feed-raw-log.js';
import {createLinePipeline} from '../app/line-pipeline.js';
import {formatSummary} from './summary.js';
import type {CommandIo} from './command-io.js';

export type MonitorOptions = {
	config: Config;
	demo: boolean;
	durationS: number | undefined;
};

// Often enough that HEARTBEAT_LOSS fires within a quarter second of its timeout.
const tickIntervalMs = 250;

export async function monitor(
	options: MonitorOptions,
	io: CommandIo,
): Promise<number> {
	const {config} = options;
	const paths = outputPaths(config.output);
	const files = openOutputFiles(paths);
	const startedAt = Date.now();
	const limits = protocolLimits(config);
	// The report covers the whole raw.log, earlier runs included, exactly as a replay of it
	// would: the detector first takes up where the file leaves off. A silence before the
	// first line ever is counted from this start.
	const earlierLines = files.raw.linesAtOpen;
	const detector = createDetector(
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
			{onProblem: () => undefined, signal: io.signal},
		);
		io.stderr(
			`serialwatch: took up ${earlierLines} earlier lines of ${paths.raw} (${detector.report(startedAt).length} incidents so far)\n`,
		);
	}

	const printEvents = (events: readonly IncidentEvent[]) => {
		io.stdout(
			events
				.map(({event, incident}) => `${JSON.stringify({event, ...incident})}\n`)
				.join(''),
		);
	};

	const pipeline = createLinePipeline(limits, detector, {
		metrics: files.metrics,
		errors: files.errors,
		events: printEvents,
	});
	const splitter = createLineSplitter(config.serial.max_line_bytes);
	let failure: string | undefined;
	// Ends the run: a signal (perhaps already during the catch-up), --duration, or a failure.
	const finish = new AbortController();
	if (io.signal.aborted) {
		finish.abort();
	}

	io.signal.addEventListener('abort', () => {
		finish.abort();
	});

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
			finish.abort();
		}
	};

	const demo = options.demo
		? startDemoDevice(config, finish.signal)
		: undefined;
	const source = createSerialSource({
		path: config.serial.port,
		baudRate: config.serial.baud_rate,
		reconnectIntervalMs: config.serial.reconnect_interval_s * 1000,
		// The demo's mock port is no file to watch.
		...(demo && {createPort: demo.createPort, identify: false}),
		onData: ingest,
		onStatus(status) {
			if (status.state === 'open') {
				io.stderr(
					options.demo
						? `serialwatch: listening on the demo device (in-process, scenario ${config.emulator.scenario}, seed ${config.emulator.seed})\n`
						: `serialwatch: listening on ${status.path}\n`,
				);
			} else if (status.state === 'lost') {
				io.stderr(
					`serialwatch: lost ${status.path} (${status.reason}); retrying every ${config.serial.reconnect_interval_s} s\n`,
				);
			}
		},
	});

	const writeReportNow = () => {
		writeReport(paths.report, detector.report(Date.now()));
	};

	const onUsr1 = () => {
		// A report that cannot be written now must not stop the monitoring.
		try {
			writeReportNow();
			io.stderr(`serialwatch: report written to ${paths.report}\n`);
		} catch (error) {
			io.stderr(`serialwatch: ${errorMessage(error)}\n`);
		}
	};

	// Installed before the port opens: without a listener, Node.js takes SIGUSR1 to start its inspector.
	process.on('SIGUSR1', onUsr1);
	try {
		await source.start();
	} catch (error) {
		process.off('SIGUSR1', onUsr1);
		files.close();
		if (error instanceof PortOpenError) {
			io.stderr(`serialwatch: ${error.message}\n`);
			return 1;
		}

		throw error;
	}

	demo?.start();
	const ticker = setInterval(() => {
		pipeline.tick(Date.now());
	}, tickIntervalMs);
	const timer =
		options.durationS === undefined
			? undefined
			: setTimeout(() => {
					finish.abort();
				}, options.durationS * 1000);

	await new Promise<void>((resolve) => {
		if (finish.signal.aborted) {
			resolve();
		} else {
			finish.signal.addEventListener('abort', () => {
				resolve();
			});
		}
	});

	clearTimeout(timer);
	clearInterval(ticker);
	process.off('SIGUSR1', onUsr1);
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
	if (failure) {
		io.stderr(`serialwatch: stopped: ${failure}\n`);
		writeReportNow();
		return 1;
	}

	const stoppedAt = Date.now();
	pipeline.tick(stoppedAt);
	const report = detector.report(stoppedAt);
	writeReport(paths.report, report);
	io.stderr(
		formatSummary({
			source: options.demo ? 'the demo device' : config.serial.port,
			seconds: (stoppedAt - startedAt) / 1000,
			stats: pipeline.stats,
			report,
			paths,
		}),
	);
	return 0;
}
