// `serialwatch emulate`: play a scenario into a serial port as the device would, optionally
// creating the virtual cable (socat) the monitor reads from at the other end.
import {readFileSync} from 'node:fs';
import {setTimeout} from 'node:timers/promises';
import {SerialPort} from 'serialport';
import {detectorSettings, type Config} from '../core/config.js';
import type {DetectorSettings} from '../core/rule-spec.js';
import {errorMessage} from '../core/error-message.js';
import {RunFailure} from '../core/run-failure.js';
import {
	createScenario,
	resolveScenario,
	scenarioDeviceMismatch,
} from '../core/emulator.js';
import {runEmulator, serialPortSink} from '../adapters/emulator-runner.js';
import {describeOpenError} from '../adapters/port-open-help.js';
import {closePort, openPort} from '../adapters/serial-port-io.js';
import {createVirtualPair, type VirtualPair} from '../adapters/virtual-pair.js';
import {waitForPtyReader} from '../adapters/pty-reader.js';
import type {CommandIo} from './command-io.js';
import {UsageError} from './usage-error.js';

// How long the monitor may take between opening its port and being ready to read.
const monitorSetupMs = 100;
// Removing the pair hangs up the monitor's side, and the kernel discards what the monitor
// has not read yet: the pair outlives the last line by this long, for a monitor that a busy
// machine keeps from reading at once.
const pairLingerMs = 1000;

export type EmulateOptions = {
	config: Config;
	/** The --config path the monitor in the other pane needs too (said in its hint). */
	configPath?: string;
	/** Overrides config.emulator.port, and likewise below. */
	port?: string;
	scenario?: string;
	rate?: number;
	count?: number;
	seed?: number;
	/** Create the socat pair emulator port <-> config.serial.port first, remove it at exit. */
	pair: boolean;
};

const emulatorPortMissing =
	'Create it with --pair (needs socat), or pass --port with the emulator side of an existing pair (socat, or com0com on Windows).';
const pairPortMissing =
	'The virtual pair was created but its port is gone: check that nothing removed it.';

const exitDone = 0;

export async function emulate(
	options: EmulateOptions,
	io: Pick<CommandIo, 'stderr' | 'signal'>,
): Promise<number> {
	const {config} = options;
	const say = (text: string) => {
		io.stderr(`serialwatch emulate: ${text}\n`);
	};

	const device = deviceSettings(config);
	const settings = withFlags(options, device);
	const {port, monitorPort, scenarioName, rateHz, seed, count} = settings;
	const usage = checkUsage(settings, options.pair, device);
	if (usage) {
		throw new UsageError(usage);
	}

	// A ScenarioError goes up: a bad scenario file (or a tour that cannot be generated) is
	// bad input, exit 2.
	const scenario = resolveScenario(
		scenarioName,
		(path) => readFileSync(path, 'utf8'),
		device,
	);

	let pair: VirtualPair | undefined;
	let serialPort: SerialPort | undefined;
	try {
		if (options.pair) {
			try {
				pair = await createVirtualPair(port, monitorPort, {onNotice: say});
			} catch (error) {
				throw new RunFailure(errorMessage(error));
			}

			say(`linked ${port} (emulator side) <-> ${monitorPort} (monitor side)`);
			// A PTY drops what was written before the monitor opened it (serialport flushes
			// input at open): the first line waits for the monitor.
			const waited = await waitForPtyReader(monitorPort, io.signal, {
				exclude: pair.pid === undefined ? [] : [pair.pid],
				onWaiting() {
					io.stderr(
						`In another pane, run the monitor: serialwatch${options.configPath === undefined ? '' : ` --config ${options.configPath}`} --port ${monitorPort}\nserialwatch emulate: waiting for the monitor to open ${monitorPort}\n`,
					);
				},
			});
			if (waited) {
				say(`the monitor opened ${monitorPort}: sending`);
				// It opened the port; let it finish setting it up (and flushing it) first.
				await setTimeout(monitorSetupMs);
			}
		}

		if (io.signal.aborted) {
			return exitDone;
		}

		const opened = await openEmulatorPort(port, config.serial.baud_rate);
		if (typeof opened === 'string') {
			throw new RunFailure(
				describeOpenError(
					port,
					opened,
					options.pair ? pairPortMissing : emulatorPortMissing,
				),
			);
		}

		serialPort = opened.port;
		let linesSent: number;
		try {
			({linesSent} = await runEmulator(
				createScenario(scenario, {
					seed,
					heartbeatTimeoutS: config.thresholds.heartbeat_timeout_s,
					thresholds: config.thresholds,
				}),
				serialPortSink(serialPort),
				{rateHz, count, signal: io.signal},
			));
		} catch (error) {
			throw new RunFailure(
				`writing to ${port} failed: ${opened.firstError() ?? errorMessage(error)}`,
			);
		}

		if (pair && !io.signal.aborted) {
			await setTimeout(pairLingerMs, undefined, {signal: io.signal}).catch(
				() => undefined,
			);
		}

		const pace = rateHz === 0 ? 'as fast as the port takes' : `${rateHz} Hz`;
		say(
			`${io.signal.aborted ? 'stopped after' : 'sent'} ${linesSent} ${linesSent === 1 ? 'line' : 'lines'} (scenario ${scenarioName}, seed ${seed}, ${pace})`,
		);
		return exitDone;
	} finally {
		if (serialPort?.isOpen) {
			try {
				await closePort(serialPort);
			} catch {
				// A port that fails to close is gone either way; nothing more to do at exit.
			}
		}

		await pair?.close();
	}
}

/** The open port and the first error it reported, or why it would not open. */
async function openEmulatorPort(
	path: string,
	baudRate: number,
): Promise<{port: SerialPort; firstError: () => string | undefined} | string> {
	const port = new SerialPort({path, baudRate, autoOpen: false});
	// Write errors also reach the write and drain callbacks; without a listener the
	// stream's 'error' event would end the process instead.
	let firstError: string | undefined;
	port.on('error', (error) => {
		firstError ??= error.message;
	});
	try {
		await openPort(port);
	} catch (error) {
		return errorMessage(error);
	}

	return {port, firstError: () => firstError};
}

/**
 * The device the emulator plays and the rules its tour walks: config.yaml's declared device,
 * else the T/V/S device with its thresholds.
 */
export function deviceSettings(config: Config): DetectorSettings {
	return detectorSettings(config);
}

type Settings = {
	port: string;
	monitorPort: string;
	scenarioName: string;
	/** Where the scenario's name came from, for a usage error to name. */
	scenarioFrom: '--scenario' | 'emulator.scenario';
	rateHz: number;
	seed: number;
	count: number | undefined;
};

/**
 * Flags win over config.yaml. A declared device plays its tour where the T/V/S device plays
 * mixed, emulator.scenario's default.
 */
function withFlags(
	options: EmulateOptions,
	device: DetectorSettings,
): Settings {
	const {config} = options;
	const fromConfig =
		!device.profile.builtin && config.emulator.scenario === 'mixed'
			? 'tour'
			: config.emulator.scenario;
	return {
		port: options.port ?? config.emulator.port,
		monitorPort: config.serial.port,
		scenarioName: options.scenario ?? fromConfig,
		scenarioFrom:
			options.scenario === undefined ? 'emulator.scenario' : '--scenario',
		rateHz: options.rate ?? config.emulator.rate_hz,
		seed: options.seed ?? config.emulator.seed,
		count: options.count,
	};
}

/** The numbers were checked already, as flags and as config keys. */
function checkUsage(
	settings: Settings,
	pair: boolean,
	device: DetectorSettings,
): string | undefined {
	if (pair && settings.port === settings.monitorPort) {
		return `--pair needs two different paths, but the emulator port and serial.port are both ${settings.port}; pass --port with another path`;
	}

	return scenarioDeviceMismatch(
		settings.scenarioName,
		settings.scenarioFrom,
		device,
	);
}
