// A shipped example profile (examples/<name>.yaml) played end to end on a real socat pair:
// `emulate --config` plays its tour into the headless monitor, then `replay` rebuilds the
// run's files from its raw.log. The copy of the example differs only in where it reads,
// writes and sends.
import {Buffer} from 'node:buffer';
import {readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import type {ExecutionContext} from 'ava';
import {createVirtualPair} from '../../source/adapters/virtual-pair.js';
import {
	detectorSettings,
	parseConfig,
	type Config,
} from '../../source/core/config.js';
import {createScenario, resolveScenario} from '../../source/core/emulator.js';
import {incidentTypesOf} from '../../source/core/rules/rule-types.js';
import {runCli, startCli, stopOnTeardown, type Running} from './cli.js';
import {readJson} from './json.js';
import {linesSent} from './port-workspace.js';
import {temporaryDirectory} from './temporary-directory.js';
import {linesOf, waitUntil} from './wait-until.js';

export const exampleNames = [
	'arduino-plotter',
	'dht22',
	'esp32-json',
	'csv',
] as const;

export type ExampleName = (typeof exampleNames)[number];

export type ExampleWorkspace = {
	dir: string;
	configPath: string;
	config: Config;
	/** emulator.port: where the device writes. */
	device: string;
	/** serial.port: where the monitor reads. */
	monitorSide: string;
	data: string;
};

const examplePath = (name: ExampleName) =>
	new URL(`../../examples/${name}.yaml`, import.meta.url);

/** Replaces the one line that matches, or fails: the example's layout is what the copy relies on. */
function replaceOnce(text: string, pattern: RegExp, line: string): string {
	const matches = text.match(new RegExp(pattern, 'gm')) ?? [];
	if (matches.length !== 1) {
		throw new Error(
			`the example has ${matches.length} lines matching ${pattern}, not one`,
		);
	}

	return text.replace(new RegExp(pattern, 'm'), line);
}

/**
 * The example, byte for byte, but for serial.port, emulator.port and output.dir, pointed into
 * a fresh temporary directory.
 */
export function exampleWorkspace(
	t: ExecutionContext,
	name: ExampleName,
	{extra = ''}: {extra?: string} = {},
): ExampleWorkspace {
	const dir = temporaryDirectory(t, `example-${name}`);
	const device = join(dir, 'device-tty');
	const monitorSide = join(dir, 'monitor-tty');
	const data = join(dir, 'data');
	let text = readFileSync(examplePath(name), 'utf8');
	text = replaceOnce(
		text,
		/^ {2}port: \/tmp\/serialwatch-monitor$/,
		`  port: ${monitorSide}`,
	);
	text = replaceOnce(
		text,
		/^ {2}port: \/tmp\/serialwatch-device$/,
		`  port: ${device}`,
	);
	text = replaceOnce(text, /^ {2}dir: \.\/data\/\S+$/, `  dir: ${data}`);
	text += extra;
	const configPath = join(dir, 'config.yaml');
	writeFileSync(configPath, text);
	return {
		dir,
		configPath,
		config: parseConfig(text, configPath),
		device,
		monitorSide,
		data,
	};
}

export type TourLine = {text: string; valid: boolean};

/** The lines `emulate` plays for this config's tour (latin1, as raw.log holds them). */
export function tourLines(config: Config): TourLine[] {
	const settings = detectorSettings(config);
	const scenario = resolveScenario(
		'tour',
		() => {
			throw new Error('the tour reads no file');
		},
		settings,
	);
	const lines: TourLine[] = [];
	for (const step of createScenario(scenario, {
		seed: config.emulator.seed,
		heartbeatTimeoutS: config.thresholds.heartbeat_timeout_s,
		thresholds: config.thresholds,
	})) {
		if (step.kind === 'line') {
			lines.push({
				text: Buffer.from(step.bytes).toString('latin1'),
				valid: step.valid,
			});
		}
	}

	return lines;
}

export const declaredTypes = (config: Config): string[] =>
	incidentTypesOf(detectorSettings(config)).map(String);

export type HeadlessEvent = {event: string; type?: string; severity?: string};

export const headlessEvents = (stdout: string): HeadlessEvent[] =>
	linesOf(stdout).map((line) => readJson<HeadlessEvent>(line, {text: true}));

/** A file's lines, each after its time stamp's tab. */
export const rawLinesOf = (path: string): string[] =>
	linesOf(readFileSync(path, 'latin1')).map((line) =>
		line.slice(line.indexOf('\t') + 1),
	);

export type TourRun = {
	monitor: Running;
	emulator: Running;
	sent: number;
};

/** Limit for a tour of a few minutes at 10 lines/s, on a machine that may be busy. */
export const tourLimitMs = 6 * 60_000;

/**
 * A socat pair the test owns (so that the device's end outlives the emulator), the headless
 * monitor opened on it, then `emulate --config` playing the tour at its default rate; waits
 * for the emulator's end and for raw.log to hold every line it sent, then stops the monitor
 * with SIGINT as a person would. The stop comes within moments of the last line: a live run
 * that went on past heartbeat_timeout_s (5 s in every example) after it would rightly report
 * a HEARTBEAT_LOSS that replay, which has only the lines, cannot see.
 */
export async function playTour(
	t: ExecutionContext,
	workspace: ExampleWorkspace,
	monitorArgs: string[] = [],
): Promise<TourRun> {
	const pair = await createVirtualPair(workspace.device, workspace.monitorSide);
	t.teardown(async () => pair.close());
	const monitor = stopOnTeardown(
		t,
		startCli(['--headless', '--config', workspace.configPath, ...monitorArgs]),
	);
	await monitor.waitFor(/listening on/);
	const emulator = stopOnTeardown(
		t,
		startCli(['emulate', '--config', workspace.configPath]),
	);
	await emulator.waitFor(/sent \d+ lines/, tourLimitMs);
	t.is(await emulator.exited, 0, emulator.stderr());
	const sent = linesSent(emulator.stderr());
	if (sent === undefined) {
		throw new Error(`emulate did not say what it sent:\n${emulator.stderr()}`);
	}

	const rawLog = join(workspace.data, 'raw.log');
	await waitUntil(() => {
		try {
			return rawLinesOf(rawLog).length >= sent;
		} catch {
			return false;
		}
	}, `raw.log holds the ${sent} lines sent; monitor stderr:\n${monitor.stderr()}`);
	monitor.child.kill('SIGINT');
	t.is(await monitor.exited, 0, monitor.stderr());
	return {monitor, emulator, sent};
}

/** The report and CSV files of an output directory, by name, their bytes as latin1 text. */
export function outputFiles(dir: string): Map<string, string> {
	const files = new Map<string, string>();
	for (const name of readdirSync(dir).toSorted()) {
		if (name.endsWith('.csv') || name === 'anomaly_report.json') {
			files.set(name, readFileSync(join(dir, name), 'latin1'));
		}
	}

	return files;
}

/** `serialwatch replay` of the run's raw.log, with the same config, into a fresh directory. */
export async function replayRun(
	t: ExecutionContext,
	workspace: ExampleWorkspace,
): Promise<string> {
	const out = join(workspace.dir, 'replay');
	const result = await runCli([
		'replay',
		join(workspace.data, 'raw.log'),
		'--config',
		workspace.configPath,
		'--out',
		out,
	]);
	t.is(result.code, 0, result.stderr);
	return out;
}

/**
 * The whole check for one example: every line the emulator sent is in raw.log, in order and
 * byte for byte; parser_errors.log holds exactly the tour's deliberately damaged lines; every
 * incident type the rules derive fired and resolved; replay of raw.log writes the same
 * report and CSV as the live run.
 */
export async function checkExampleTour(
	t: ExecutionContext,
	name: ExampleName,
): Promise<void> {
	// A tour of a few minutes: longer than the runner's default quiet time.
	t.timeout(tourLimitMs + 60_000);
	const workspace = exampleWorkspace(t, name);
	const tour = tourLines(workspace.config);
	const {monitor, sent} = await playTour(t, workspace);

	t.is(sent, tour.length, 'emulate sent the tour, every line of it');
	const recorded = rawLinesOf(join(workspace.data, 'raw.log'));
	t.deepEqual(
		recorded,
		tour.map((line) => line.text),
		'raw.log holds the tour, line for line',
	);

	// parser_errors.log's last field is the line's number in raw.log: the damaged lines'
	// places in the tour, and no other.
	const damaged = tour.flatMap((line, index) =>
		line.valid ? [] : [index + 1],
	);
	t.true(damaged.length > 0, 'the tour damages some lines');
	const errors = rawLinesOf(join(workspace.data, 'parser_errors.log'));
	t.deepEqual(
		errors.map((line) => Number(line.split('\t').at(-1))),
		damaged,
		`parse errors on the damaged lines only:\n${errors.join('\n')}`,
	);

	const events = headlessEvents(monitor.stdout());
	const typesOf = (event: string) =>
		new Set(
			events
				.filter((entry) => entry.event === event)
				.map((entry) => entry.type),
		);
	const fired = typesOf('fired');
	const resolved = typesOf('resolved');
	const declared = declaredTypes(workspace.config);
	t.log(
		`${name}: ${sent} lines, ${damaged.length} damaged; ${declared.join(' ')}`,
	);
	t.deepEqual(
		declared.filter((type) => !fired.has(type)),
		[],
		'every declared type fired',
	);
	t.deepEqual(
		declared.filter((type) => !resolved.has(type)),
		[],
		'every declared type resolved',
	);
	t.deepEqual(
		[...fired].filter((type) => !declared.includes(type!)),
		[],
		'no type the rules do not derive',
	);

	const live = outputFiles(workspace.data);
	const replayed = outputFiles(await replayRun(t, workspace));
	t.deepEqual([...replayed.keys()], [...live.keys()], 'the same files');
	t.true(live.has('anomaly_report.json'));
	t.true([...live.keys()].some((file) => file.endsWith('.csv')));
	for (const [file, bytes] of live) {
		t.is(
			replayed.get(file),
			bytes,
			`${file}: replay writes the live run's bytes`,
		);
	}
}
