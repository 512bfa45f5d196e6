// A temporary directory holding everything one monitor run touches: a config.yaml whose
// serial.port and emulator.port (the two ends of a socat pair) and output dir all point
// inside it, so that tests never meet the README's fixed /tmp/serialwatch-* paths or
// each other.
import {Buffer} from 'node:buffer';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import type {ExecutionContext} from 'ava';
import {SerialPort} from 'serialport';
import {parseConfig, type Config} from '../../source/core/config.js';
import {
	type builtInScenarios,
	createScenario,
} from '../../source/core/emulator.js';
import {
	closePort,
	openPort,
	writeAll,
} from '../../source/adapters/serial-port-io.js';
import {temporaryDirectory} from './temporary-directory.js';
import {linesOf} from './wait-until.js';

export type PortWorkspace = {
	dir: string;
	/** config.yaml, as written. */
	configPath: string;
	config: Config;
	/** emulator.port: where the device writes. */
	device: string;
	/** serial.port: where the monitor reads. */
	monitorSide: string;
	data: string;
	rawLog: string;
	report: string;
	lock: string;
	/** raw.log's lines, the bytes after each time stamp (latin1: one char per byte); none before it exists. */
	rawLines(): string[];
};

/**
 * `sections` is YAML appended to the serial/output/emulator keys the workspace sets
 * (say, a `thresholds:` block). With `relativeOutput`, output.dir is left to its default
 * (`./data`, under the directory the monitor runs in): the config a person would write.
 */
export function portWorkspace(
	t: ExecutionContext,
	prefix: string,
	{
		sections = '',
		relativeOutput = false,
	}: {sections?: string; relativeOutput?: boolean} = {},
): PortWorkspace {
	const dir = temporaryDirectory(t, prefix);
	const device = join(dir, 'device-tty');
	const monitorSide = join(dir, 'monitor-tty');
	const data = join(dir, 'data');
	const text = [
		'serial:',
		`  port: ${monitorSide}`,
		'  reconnect_interval_s: 0.2',
		...(relativeOutput ? [] : ['output:', `  dir: ${data}`]),
		'emulator:',
		`  port: ${device}`,
		'  seed: 7',
		sections,
	].join('\n');
	const configPath = join(dir, 'config.yaml');
	writeFileSync(configPath, text);
	const rawLog = join(data, 'raw.log');
	return {
		dir,
		configPath,
		config: parseConfig(text, configPath),
		device,
		monitorSide,
		data,
		rawLog,
		report: join(data, 'anomaly_report.json'),
		lock: join(data, '.serialwatch.lock'),
		rawLines: () =>
			existsSync(rawLog)
				? linesOf(readFileSync(rawLog, 'latin1')).map((line) =>
						line.slice(line.indexOf('\t') + 1),
					)
				: [],
	};
}

/** The lines a scenario sends with this config, as raw.log holds them (latin1). */
export function scenarioLines(
	config: Config,
	name: (typeof builtInScenarios)[number],
	count = Infinity,
): string[] {
	const lines: string[] = [];
	for (const step of createScenario(
		{name},
		{
			seed: config.emulator.seed,
			heartbeatTimeoutS: config.thresholds.heartbeat_timeout_s,
			thresholds: config.thresholds,
		},
	)) {
		if (lines.length >= count) {
			break;
		}

		if (step.kind === 'line') {
			lines.push(Buffer.from(step.bytes).toString('latin1'));
		}
	}

	return lines;
}

/** The number in the emulator's `sent N lines` (stderr), or undefined if it did not say. */
export function linesSent(emulatorStderr: string): number | undefined {
	const match = /sent (\d+) lines?/.exec(emulatorStderr);
	return match ? Number(match[1]) : undefined;
}

/** Plays the device by hand: opens its end of the pair, writes the lines, closes it. */
export async function sendLines(path: string, lines: string[]): Promise<void> {
	const port = new SerialPort({path, baudRate: 115_200, autoOpen: false});
	await openPort(port);
	await writeAll(port, lines.map((line) => `${line}\n`).join(''));
	await closePort(port);
}
