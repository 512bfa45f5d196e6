#!/usr/bin/env node
// The command line: parse flags, load the config, apply the flags over it, dispatch.
// Exit codes: 0 done, 1 runtime failure, 2 bad usage or bad config.
import process from 'node:process';
import meow from 'meow';
import {ConfigError, type Config} from './core/config.js';
import {
	applyMonitorOverrides,
	type MonitorOverrides,
} from './core/config-overrides.js';
import {ScenarioError} from './core/emulator.js';
import {defaultConfigPath, loadConfig} from './adapters/config-file.js';
import {OutputError} from './adapters/output-error.js';
import type {CommandIo} from './commands/command-io.js';
import {detect} from './commands/detect.js';
import {emulate} from './commands/emulate.js';
import {monitor} from './commands/monitor.js';
import {ports} from './commands/ports.js';
import {replay} from './commands/replay.js';

const cli = meow(
	`
	Usage
	  $ serialwatch [monitor] [--config FILE] [--port PATH] [--baud N] [--out DIR] [--demo] [--headless] [--duration S]
	  $ serialwatch emulate   [--config FILE] [--port PATH] [--scenario NAME|FILE] [--rate N] [--count N] [--seed N] [--pair]
	  $ serialwatch replay RAW_LOG [--config FILE] [--out DIR]
	  $ serialwatch detect [CSV]   [--config FILE] [--report FILE|-]
	  $ serialwatch ports

	Commands
	  monitor   listen to the serial port: raw.log, structured_metrics.csv, parser_errors.log,
	            anomaly_report.json in the output dir (the default command). On a terminal
	            it draws the dashboard (keys: p pause, r report, c clear resolved,
	            arrows/PgUp/PgDn scroll, ? help, q quit); edits to the config file retune it live
	  emulate   play the device on the other end of a virtual serial pair
	  replay    re-parse a raw.log with today's parser and detector (files go to --out,
	            default: a replay/ folder beside the raw log)
	  detect    batch detection over a structured CSV (default: the output dir's CSV)
	  ports     list serial ports (path, manufacturer, serial number)

	Options
	  --config FILE      config file (default ./config.yaml; built-in defaults if absent)
	  --port PATH        serial port (monitor: serial.port; emulate: emulator.port)
	  --baud N           baud rate (serial.baud_rate)
	  --out DIR          output directory (output.dir)
	  --demo             monitor an emulated device in-process: no hardware, no socat
	  --headless         no dashboard: one JSON line per alert event on stdout (also when
	                     stdout or stdin is not a terminal)
	  --duration S       stop after S seconds, as if interrupted
	  --scenario NAME    mixed (default), normal, failure, or a scenario YAML file
	  --rate N           emulator lines per second (0: as fast as the port takes them)
	  --count N          emulator stops after N lines
	  --seed N           emulator random seed (the same seed sends the same bytes)
	  --pair             create the virtual port pair with socat (emulator.port <-> serial.port)
	  --report FILE      detect: where to write the report (- for stdout)

	Signals: SIGINT/SIGTERM/SIGHUP stop cleanly (files flushed, final report written);
	SIGUSR1 writes the report now.
	Exit codes: 0 done, 1 runtime failure, 2 bad usage or bad config.
`,
	{
		importMeta: import.meta,
		argv: joinDashValues(process.argv.slice(2)),
		allowUnknownFlags: false,
		flags: {
			config: {type: 'string'},
			port: {type: 'string'},
			baud: {type: 'number'},
			out: {type: 'string'},
			demo: {type: 'boolean', default: false},
			headless: {type: 'boolean', default: false},
			duration: {type: 'number'},
			scenario: {type: 'string'},
			rate: {type: 'number'},
			count: {type: 'number'},
			seed: {type: 'number'},
			pair: {type: 'boolean', default: false},
			report: {type: 'string'},
			// meow answers these itself only when they come alone; `emulate --help` is handled below.
			help: {type: 'boolean', shortFlag: 'h'},
			version: {type: 'boolean'},
		},
	},
);

/** `--report -` means stdout; the flag parser would take a lone `-` for an argument. */
function joinDashValues(argv: string[]): string[] {
	return argv.flatMap((argument, index) =>
		argument === '-' && argv[index - 1] === '--report'
			? []
			: argument === '--report' && argv[index + 1] === '-'
				? ['--report=-']
				: [argument],
	);
}

/** Bad usage: exit 2 with the message. */
class UsageError extends Error {
	override name = 'UsageError';
}

const commands = ['monitor', 'emulate', 'replay', 'detect', 'ports'] as const;

async function main(): Promise<number> {
	if (cli.flags.help) {
		cli.showHelp(0);
	}

	if (cli.flags.version) {
		cli.showVersion();
	}

	const [first, ...rest] = cli.input;
	const command = first ?? 'monitor';
	if (!isCommand(command)) {
		throw new UsageError(
			`unknown command '${command}' (commands: ${commands.join(', ')}; see serialwatch --help)`,
		);
	}

	const maxArguments = command === 'replay' || command === 'detect' ? 1 : 0;
	if (rest.length > maxArguments) {
		throw new UsageError(
			`too many arguments for ${command}: ${rest.join(' ')}`,
		);
	}

	const {flags} = cli;
	checkFlagsApply(command, flags.demo);
	check(
		flags.baud,
		'baud',
		(n) => Number.isInteger(n) && n > 0,
		'a whole number above 0',
	);
	check(
		flags.duration,
		'duration',
		(n) => n > 0,
		'a number of seconds above 0',
	);
	check(flags.rate, 'rate', (n) => n >= 0, 'lines per second, 0 or more');
	check(
		flags.count,
		'count',
		(n) => Number.isInteger(n) && n > 0,
		'a whole number above 0',
	);
	check(flags.seed, 'seed', (n) => Number.isInteger(n), 'a whole number');
	for (const flag of ['config', 'port', 'out', 'scenario', 'report'] as const) {
		if (flags[flag] === '') {
			throw new UsageError(`--${flag} needs a value`);
		}
	}

	const io = createIo();
	if (command === 'ports') {
		return ports(io);
	}

	const loaded = loadConfig(flags.config);

	switch (command) {
		case 'monitor': {
			return runMonitor(loaded, io);
		}

		case 'emulate': {
			return emulate(
				{
					config: loaded,
					port: flags.port,
					scenario: flags.scenario,
					rate: flags.rate,
					count: flags.count,
					seed: flags.seed,
					pair: flags.pair,
				},
				io,
			);
		}

		case 'replay': {
			if (rest[0] === undefined) {
				throw new UsageError(
					'replay needs the raw log to read: serialwatch replay data/raw.log',
				);
			}

			return replay({config: loaded, rawLog: rest[0], out: flags.out}, io);
		}

		case 'detect': {
			return detect({config: loaded, csv: rest[0], report: flags.report}, io);
		}
	}
}

/**
 * On a terminal, the dashboard; headless when asked, when stdout or stdin is not one, or
 * under CI (Ink draws nothing there but the last frame, so a dashboard would show nothing).
 */
async function runMonitor(loaded: Config, io: CommandIo): Promise<number> {
	const {flags} = cli;
	const overrides = monitorOverrides();
	const options = {
		config: applyMonitorOverrides(loaded, overrides),
		configPath: flags.config ?? defaultConfigPath,
		overrides,
		demo: flags.demo,
		durationS: flags.duration,
	};
	const ci = ['CI', 'CONTINUOUS_INTEGRATION'].some(
		(key) => ![undefined, '0', 'false'].includes(process.env[key]),
	);
	if (flags.headless || ci || !process.stdout.isTTY || !process.stdin.isTTY) {
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
	const {dashboard} = await import('./commands/dashboard.js');
	return dashboard(options, io);
}

function monitorOverrides(): MonitorOverrides {
	const {port, baud, out, scenario, rate, seed} = cli.flags;
	return {port, baud, out, scenario, rate, seed};
}

function isCommand(name: string): name is (typeof commands)[number] {
	return (commands as readonly string[]).includes(name);
}

// Which flags each command takes; anything else given is a mistake worth saying.
const commandFlags: Record<(typeof commands)[number], readonly string[]> = {
	monitor: ['config', 'port', 'baud', 'out', 'demo', 'headless', 'duration'],
	emulate: ['config', 'port', 'scenario', 'rate', 'count', 'seed', 'pair'],
	replay: ['config', 'out'],
	detect: ['config', 'report'],
	ports: [],
};
const demoFlags = ['scenario', 'rate', 'seed'];

function checkFlagsApply(
	command: (typeof commands)[number],
	demo: boolean,
): void {
	const allowed = new Set([
		...commandFlags[command],
		...(command === 'monitor' && demo ? demoFlags : []),
	]);
	for (const flag of givenFlags()) {
		if (!allowed.has(flag)) {
			throw new UsageError(
				`--${flag} does not apply to ${command}${command === 'monitor' && demoFlags.includes(flag) ? ' without --demo' : ''} (see serialwatch --help)`,
			);
		}
	}
}

/** The long flags on the command line, by name. */
function givenFlags(): string[] {
	return process.argv
		.slice(2)
		.filter((argument) => argument.startsWith('--') && argument.length > 2)
		.map((argument) => argument.slice(2).split('=')[0]!)
		.filter((flag) => flag !== 'help' && flag !== 'version');
}

/** What the user typed after --flag, for messages (meow has already made it NaN). */
function typedValue(flag: string): string {
	const argv = process.argv.slice(2);
	const inline = argv.find((argument) => argument.startsWith(`--${flag}=`));
	return (
		inline?.slice(flag.length + 3) ?? argv[argv.indexOf(`--${flag}`) + 1] ?? ''
	);
}

function check(
	value: number | undefined,
	flag: string,
	valid: (n: number) => boolean,
	expected: string,
): void {
	if (value !== undefined && (!Number.isFinite(value) || !valid(value))) {
		throw new UsageError(
			`--${flag} needs ${expected}, got '${typedValue(flag)}'`,
		);
	}
}

/**
 * SIGINT/SIGTERM (and SIGHUP: the SSH session dropped) stop the command cleanly; a second
 * one forces the exit. A reader of stdout that goes away (`| head`) stops the events, not
 * the monitoring: the files matter more than the pipe.
 */
function createIo(): CommandIo {
	let stdoutOpen = true;
	process.stdout.on('error', (error: NodeJS.ErrnoException) => {
		stdoutOpen = false;
		if (error.code !== 'EPIPE') {
			process.stderr.write(`serialwatch: stdout: ${error.message}\n`);
		}
	});
	// A terminal that hung up fails every write to it (EIO); there is no one left to tell.
	process.stderr.on('error', () => undefined);
	const controller = new AbortController();
	const stop = (signal: NodeJS.Signals) => {
		hungUp ||= signal === 'SIGHUP';
		if (controller.signal.aborted) {
			process.stderr.write(`serialwatch: ${signal} again: exiting now\n`);
			process.exit(1);
		}

		controller.abort();
	};

	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	process.on('SIGHUP', stop);
	return {
		stdout(text) {
			if (stdoutOpen) {
				process.stdout.write(text);
			}
		},
		stderr(text) {
			process.stderr.write(text);
		},
		signal: controller.signal,
	};
}

let hungUp = false;

function exit(code: number): void {
	// The terminal is gone: Node.js 20 restores the tty's modes on exit and aborts when that
	// fails (nodejs/node#51519, fixed in later versions). With the files closed and the report
	// written, end the way a hung-up process ends instead: by the signal's default action.
	if (
		hungUp &&
		[process.stdin, process.stdout, process.stderr].some(
			(stream) => stream.isTTY,
		)
	) {
		process.removeAllListeners('SIGHUP');
		process.kill(process.pid, 'SIGHUP');
		return;
	}

	// Let piped output drain before leaving; open handles must not keep a finished run alive.
	if (process.stdout.writableEnded || process.stdout.destroyed) {
		process.exit(code);
	}

	process.stdout.write('', () => {
		process.exit(code);
	});
}

try {
	exit(await main());
} catch (error) {
	if (error instanceof OutputError) {
		process.stderr.write(`serialwatch: ${error.message}\n`);
		exit(1);
	} else if (
		error instanceof UsageError ||
		error instanceof ConfigError ||
		error instanceof ScenarioError
	) {
		process.stderr.write(
			error instanceof UsageError
				? `serialwatch: ${error.message}\n`
				: `serialwatch: bad ${error instanceof ConfigError ? 'config' : 'scenario'}:\n${error.message}\n`,
		);
		exit(2);
	} else {
		process.stderr.write(
			`serialwatch: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
		);
		exit(1);
	}
}
