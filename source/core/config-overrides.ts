// Command-line flags win over config.yaml, at start and again after every live edit of it.
import type {Config} from './config.js';

export type MonitorOverrides = {
	port?: string;
	baud?: number;
	/** false: --no-wait, fail at once when the port does not exist. */
	waitForPort?: boolean;
	out?: string;
	scenario?: string;
	rate?: number;
	seed?: number;
	/** host:port of the Prometheus exporter. */
	metrics?: string;
};

export function applyMonitorOverrides(
	config: Config,
	overrides: MonitorOverrides,
): Config {
	return {
		...config,
		serial: {
			...config.serial,
			port: overrides.port ?? config.serial.port,
			baud_rate: overrides.baud ?? config.serial.baud_rate,
			wait_for_port: overrides.waitForPort ?? config.serial.wait_for_port,
		},
		output: {...config.output, dir: overrides.out ?? config.output.dir},
		// The demo device is the emulator: its flags apply.
		emulator: {
			...config.emulator,
			scenario: overrides.scenario ?? config.emulator.scenario,
			rate_hz: overrides.rate ?? config.emulator.rate_hz,
			seed: overrides.seed ?? config.emulator.seed,
		},
		exporters: {
			...config.exporters,
			prometheus: {
				listen: overrides.metrics ?? config.exporters.prometheus.listen,
			},
		},
	};
}

// Each override, its key in config.yaml (as config-diff names it) and the flag that sets it.
const overriddenBy: ReadonlyArray<[keyof MonitorOverrides, string, string]> = [
	['port', 'serial.port', '--port'],
	['baud', 'serial.baud_rate', '--baud'],
	['waitForPort', 'serial.wait_for_port', '--no-wait'],
	['out', 'output.dir', '--out'],
	['scenario', 'emulator.scenario', '--scenario'],
	['rate', 'emulator.rate_hz', '--rate'],
	['seed', 'emulator.seed', '--seed'],
	['metrics', 'exporters.prometheus.listen', '--metrics'],
];

/** The config keys the given flags hold, each with its flag: an edit of them changes nothing. */
export function overriddenKeys(
	overrides: MonitorOverrides,
): Map<string, string> {
	return new Map(
		overriddenBy
			.filter(([name]) => overrides[name] !== undefined)
			.map(([, key, flag]) => [key, flag]),
	);
}
