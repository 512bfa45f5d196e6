// `serialwatch [monitor]`: its flags, their checks, its help, and the choice between the
// dashboard and the headless run.
import process from 'node:process';
import {
	applyMonitorOverrides,
	type MonitorOverrides,
} from '../core/config-overrides.js';
import {detectorSettings, isListenAddress} from '../core/config.js';
import {scenarioDeviceMismatch} from '../core/scenario-device.js';
import {
	configSource,
	defaultConfigPath,
	loadConfig,
} from '../adapters/config-file.js';
import {warnAbout, type CommandIo} from './command-io.js';
import {
	defineCommand,
	type FlagSpecs,
	type FlagValues,
} from './command-spec.js';
import {
	configFlag,
	linesPerSecond,
	wholeAboveZero,
	wholeNumber,
} from './shared-flags.js';
import {UsageError} from './usage-error.js';

const flags = {
	config: configFlag,
	port: {
		type: 'string',
		value: 'PATH',
		description: 'serial port (serial.port)',
	},
	baud: {
		type: 'number',
		value: 'N',
		description: 'baud rate (serial.baud_rate)',
		...wholeAboveZero,
	},
	out: {
		type: 'string',
		value: 'DIR',
		description: 'output directory (output.dir)',
	},
	demo: {
		type: 'boolean',
		description: 'monitor an emulated device in-process: no hardware, no socat',
	},
	headless: {
		type: 'boolean',
		description:
			'no dashboard: one JSON line per incident event and config edit on\nstdout (also when stdout or stdin is not a terminal, or CI is set)',
	},
	duration: {
		type: 'number',
		value: 'S',
		description: 'stop after S seconds, as if interrupted',
		valid: (n) => n > 0,
		expected: 'a number of seconds above 0',
	},
	wait: {
		type: 'boolean',
		default: true,
		description:
			'exit 1 at once if the port does not exist (default: wait for it to appear)',
	},
	scenario: {
		type: 'string',
		value: 'NAME|FILE',
		description:
			'with --demo: mixed (default), normal, failure, or a scenario YAML file',
	},
	rate: {
		type: 'number',
		value: 'N',
		description: 'with --demo: lines per second (0: as fast as possible)',
		...linesPerSecond,
	},
	seed: {
		type: 'number',
		value: 'N',
		description: 'with --demo: random seed (the same seed plays the same run)',
		...wholeNumber,
	},
	metrics: {
		type: 'string',
		value: 'HOST:PORT',
		description:
			'serve Prometheus metrics at http://HOST:PORT/metrics\n(exporters.prometheus.listen; the usual one is 127.0.0.1:9464)',
	},
} as const satisfies FlagSpecs;

type MonitorFlags = FlagValues<typeof flags>;

// The demo device is the emulator: these choose what it plays, and mean nothing without it.
const demoFlags = ['scenario', 'rate', 'seed'] as const;

export const monitorCommand = defineCommand({
	name: 'monitor',
	summary: 'listen to the serial port and keep its files (the default command)',
	description: `Listen to the serial port: raw.log, structured_metrics.csv, parser_errors.log and
anomaly_report.json in the output dir. On a terminal it draws the dashboard (keys:
p pause, r report, c clear resolved, l raw lines, arrows/PgUp/PgDn scroll, ? help,
q quit). Edits to the config file retune it live, headless too. A port that does not
exist yet is waited for.`,
	flags,
	notes: `Signals: SIGINT/SIGTERM/SIGHUP stop cleanly (files flushed, final report written);
SIGUSR1 writes the report now.`,
	async run(_input, given: MonitorFlags, io) {
		for (const flag of demoFlags) {
			if (given[flag] !== undefined && !given.demo) {
				throw new UsageError(
					`--${flag} does not apply to monitor without --demo (see serialwatch --help)`,
				);
			}
		}

		// The demo device is in-process: it has no port to name, set the speed of or wait for.
		const portFlag = [
			given.port !== undefined && '--port',
			given.baud !== undefined && '--baud',
			!given.wait && '--no-wait',
		].find(Boolean);
		if (given.demo && portFlag) {
			throw new UsageError(
				`${portFlag} does not apply with --demo: the demo device is in-process and has no port`,
			);
		}

		if (given.metrics !== undefined && !isListenAddress(given.metrics)) {
			throw new UsageError(
				`--metrics needs HOST:PORT with a port from 0 to 65535, e.g. 127.0.0.1:9464, got '${given.metrics}'`,
			);
		}

		return runMonitor(given, io);
	},
});

/** The flags that win over config.yaml, at start and after every live edit of it. */
export function monitorOverrides(given: MonitorFlags): MonitorOverrides {
	const {port, baud, out, scenario, rate, seed, metrics} = given;
	// Only --no-wait overrides: without it, serial.wait_for_port decides.
	return {
		port,
		baud,
		out,
		scenario,
		rate,
		seed,
		metrics,
		...(given.wait ? {} : {waitForPort: false}),
	};
}

/**
 * On a terminal, the dashboard; headless when asked, when stdout or stdin is not one, or
 * under CI (Ink draws nothing there but the last frame, so a dashboard would show nothing).
 */
async function runMonitor(given: MonitorFlags, io: CommandIo): Promise<number> {
	const overrides = monitorOverrides(given);
	const options = {
		config: applyMonitorOverrides(
			loadConfig(given.config, warnAbout(io)),
			overrides,
		),
		configPath: given.config ?? defaultConfigPath,
		configSource: configSource(given.config),
		overrides,
		demo: given.demo,
		durationS: given.duration,
	};
	// As emulate: a declared device plays its tour for the default mixed, and a T/V/S
	// scenario named for it is refused (its codec would refuse every line).
	const {scenario} = options.config.emulator;
	const mismatch =
		given.demo &&
		(given.scenario !== undefined || scenario !== 'mixed') &&
		scenarioDeviceMismatch(
			scenario,
			given.scenario === undefined ? 'emulator.scenario' : '--scenario',
			detectorSettings(options.config),
		);
	if (mismatch) {
		throw new UsageError(mismatch);
	}

	const ci = ['CI', 'CONTINUOUS_INTEGRATION'].some(
		(key) => ![undefined, '0', 'false'].includes(process.env[key]),
	);
	if (given.headless || ci || !process.stdout.isTTY || !process.stdin.isTTY) {
		const {monitor} = await import('./monitor.js');
		return monitor(options, io);
	}

	// FORCE_COLOR=0 is how chalk (under Ink) hears NO_COLOR; it must be set before Ink loads.
	if (process.env['NO_COLOR']) {
		process.env['FORCE_COLOR'] = '0';
	}

	// React's development build (the default without NODE_ENV) records a performance
	// measure at every render and never clears them: a dashboard left running for hours
	// grew by 100 MB a minute (facebook/react#35761). It must be set before React loads.
	process.env['NODE_ENV'] ??= 'production';
	const {dashboard} = await import('./dashboard.js');
	return dashboard(options, io);
}
