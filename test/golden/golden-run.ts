// What serialwatch makes of a raw.log, computed by the paths a user's run takes, for the
// golden files (test/fixtures/golden/) and the tests that compare with them:
// - the files: `serialwatch replay` of the built dist/cli.js, with the built-in defaults;
// - the headless event lines, the /metrics text and the monitor state: the live run's
//   pipeline (createLinePipeline, batched as raw.log's chunks came) ticked on a fake clock
//   every 50 ms as the session ticks, and the exporter's real HTTP server.
import {execFile} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import process from 'node:process';
import {inspectorGuard} from '../../source/adapters/inspector-guard.js';
import {
	defaultConfig,
	protocolLimits,
	detectorSettings,
} from '../../source/core/config.js';
import {createDetector} from '../../source/core/detector.js';
import {builtinProfile} from '../../source/core/device-profile.js';
import type {IncidentEvent} from '../../source/core/incident.js';
import {incidentPoint, readingPoint} from '../../source/core/line-protocol.js';
import {feedRawLog} from '../../source/app/feed-raw-log.js';
import {runIdentity} from '../../source/app/integrations.js';
import {
	createBatchPipeline,
	deviceCodec,
} from '../../source/app/line-pipeline.js';
import {
	createMonitorState,
	type MonitorState,
} from '../../source/app/monitor-state.js';
import {openPrometheusExporter} from '../../source/app/prometheus-exporter.js';

export const goldenDir = fileURLToPath(
	new URL('../fixtures/golden/', import.meta.url),
);
const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** The inputs, each a directory of test/fixtures/golden holding its raw.log. */
export const goldenCases = ['mixed', 'failure', 'hostile'] as const;
export type GoldenCase = (typeof goldenCases)[number];

/** What replay writes, by file name. */
export const replayFiles = [
	'structured_metrics.csv',
	'parser_errors.log',
	'anomaly_report.json',
] as const;

export const eventsFile = 'events.jsonl';
export const metricsFile = 'metrics.txt';
/** The InfluxDB line protocol the writer sends: reading and incident points, in order. */
export const influxFile = 'influx.lp';
export const dashboardSizes = [
	[80, 24],
	[120, 40],
] as const;
export const dashboardFile = (columns: number, rows: number) =>
	`dashboard-${columns}x${rows}.txt`;

export const rawLogPath = (name: GoldenCase) =>
	join(goldenDir, name, 'raw.log');

export const readGolden = (name: GoldenCase, file: string): Uint8Array =>
	readFileSync(join(goldenDir, name, file));

/** The session's tick interval (monitor-session.ts): HEARTBEAT_LOSS is noticed on this grid. */
const tickMs = 50;
/** The run started this long before raw.log's first line, and stopped this long after its last. */
const marginMs = 1000;

/**
 * Runs `serialwatch replay RAW_LOG --out DIR` from `cwd` (no config.yaml there: the built-in
 * defaults), with `nodeFlags` given to node before the script.
 */
export async function replayInto(
	rawLog: string,
	cwd: string,
	out: string,
	nodeFlags: readonly string[] = [],
): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		execFile(
			process.execPath,
			[...nodeFlags, inspectorGuard, cliPath, 'replay', rawLog, '--out', out],
			// Killed if it ever hangs; a busy machine replays these in well under a second.
			{cwd, timeout: 120_000},
			(error, _stdout, stderr) => {
				if (error) {
					reject(
						new Error(`serialwatch replay ${rawLog} failed: ${stderr}`, {
							cause: error,
						}),
					);
				} else {
					resolve();
				}
			},
		);
	});
}

export type LiveRun = {
	/** Each event as `serialwatch --headless` prints it: one JSON line. */
	events: string;
	/** GET /metrics after the run, without the process_ and nodejs_ defaults, the version normalised. */
	metrics: string;
	/** What the InfluxDB writer would send, a point per line. */
	influx: string;
	state: MonitorState;
	startedAt: number;
	stoppedAt: number;
};

/** The line monitor.ts prints for an incident event. */
export const headlessLine = ({event, at, incident}: IncidentEvent) =>
	`${JSON.stringify({event, at, ...incident})}\n`;

const processOnly = /^(?:# (?:HELP|TYPE) )?(?:process|nodejs)_/;

/** The exporter's text without what describes the process (memory, CPU time) or the build. */
export function stableMetrics(text: string): string {
	return text
		.split('\n')
		.filter((line) => !processOnly.test(line))
		.map((line) =>
			line.replace(/^(serialwatch_build_info{version=")[^"]*"/, '$1<version>"'),
		)
		.join('\n');
}

/** Plays raw.log through the live pipeline on a fake clock; see the top of this file. */
export async function liveRun(rawLog: string): Promise<LiveRun> {
	const config = defaultConfig;
	const firstTime = Date.parse(readFileSync(rawLog, 'latin1').slice(0, 24));
	const startedAt = firstTime - marginMs;
	const detector = createDetector(detectorSettings(config));
	let events = '';
	let influx = '';
	const identity = runIdentity(config, false);
	const profile = builtinProfile(protocolLimits(config));
	const addPoint = (point: string | undefined) => {
		if (point !== undefined) {
			influx += `${point}\n`;
		}
	};

	const exporter = await openPrometheusExporter(
		'127.0.0.1:0',
		config,
		runIdentity(config, false),
		{startedAt},
	);
	try {
		const pipeline = createBatchPipeline(deviceCodec(config), detector, {
			metrics: {
				append(rows) {
					state.onReadings(rows);
					exporter.onReadings?.(rows);
					for (const row of rows) {
						addPoint(readingPoint(profile, identity, row.time, row.reading));
					}
				},
			},
			errors: {
				append(errors) {
					state.onErrors(errors);
					exporter.onErrors?.(errors);
				},
			},
			events(list) {
				for (const event of list) {
					events += headlessLine(event);
					addPoint(incidentPoint(identity, event));
				}

				state.onEvents(list);
				exporter.onEvents?.(list);
			},
		});
		const settings = detectorSettings(config);
		const state = createMonitorState({
			config,
			profile: settings.profile,
			settings,
			configPath: 'config.yaml',
			configSource: 'file',
			demo: false,
			startedAt,
			reportPath: 'data/anomaly_report.json',
			lineCounts: () => pipeline.stats,
		});
		const opened = {state: 'open', path: config.serial.port} as const;
		state.onStatus(opened, startedAt);
		exporter.onStatus?.(opened);
		let nextTick = startedAt + tickMs;
		const tickUntil = (time: number) => {
			for (; nextTick < time; nextTick += tickMs) {
				pipeline.tick(nextTick);
			}
		};

		let lastTime = firstTime;
		await feedRawLog(
			rawLog,
			{
				process(time, firstLine, lines) {
					tickUntil(time);
					state.onRawLines(time, firstLine, lines);
					pipeline.process(time, firstLine, lines);
					lastTime = time;
				},
			},
			{
				onProblem() {
					// A line with no receive time: replay skips it too.
				},
			},
		);
		const stoppedAt = lastTime + marginMs;
		tickUntil(stoppedAt);
		// As a stop does: one last tick at the moment of the stop.
		pipeline.tick(stoppedAt);
		const response = await fetch(`http://${exporter.address}/metrics`);
		const metrics = stableMetrics(await response.text());
		return {events, metrics, influx, state, startedAt, stoppedAt};
	} finally {
		await exporter.close(1000);
	}
}

/** The first lines where two texts differ, with a little context, as a unified diff shows them. */
export function firstDifference(
	expected: string,
	actual: string,
	context = 3,
): string {
	const a = expected.split('\n');
	const b = actual.split('\n');
	let index = 0;
	while (index < a.length && index < b.length && a[index] === b[index]) {
		index++;
	}

	const from = Math.max(0, index - context);
	const lines = [`@@ first difference at line ${index + 1} @@`];
	for (let n = from; n < index; n++) {
		lines.push(`  ${a[n]}`);
	}

	for (const line of a.slice(index, index + context + 1)) {
		lines.push(`- ${line}`);
	}

	for (const line of b.slice(index, index + context + 1)) {
		lines.push(`+ ${line}`);
	}

	// Control bytes shown as escapes: an ESC or a CR must not redraw the test's own output.
	return lines
		.map((line) =>
			line.replaceAll(
				// eslint-disable-next-line no-control-regex -- finding them is the point
				/[\u0000-\u001F\u007F]/g,
				(byte) =>
					String.raw`\x${byte.codePointAt(0)!.toString(16).padStart(2, '0')}`,
			),
		)
		.join('\n');
}
