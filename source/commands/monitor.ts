// `serialwatch [monitor] --headless` (and any run whose stdout is not a terminal): every
// incident event is one JSON line on stdout and a summary goes to stderr at exit.
import process from 'node:process';
import type {Config} from '../core/config.js';
import {errorMessage} from '../core/error-message.js';
import type {IncidentEvent} from '../core/incident.js';
import {PortOpenError} from '../adapters/serial-source.js';
import {openMonitorSession} from '../app/monitor-session.js';
import {runOutcome} from '../app/run-summary.js';
import type {CommandIo} from './command-io.js';

export type MonitorOptions = {
	config: Config;
	demo: boolean;
	durationS: number | undefined;
};

export async function monitor(
	options: MonitorOptions,
	io: CommandIo,
): Promise<number> {
	const {config} = options;
	const printEvents = (events: readonly IncidentEvent[]) => {
		io.stdout(
			events
				.map(
					({event, at, incident}) =>
						`${JSON.stringify({event, at, ...incident})}\n`,
				)
				.join(''),
		);
	};

	const session = await openMonitorSession(
		{
			config,
			demo: options.demo,
			signal: io.signal,
			durationS: options.durationS,
		},
		{
			onEvents: printEvents,
			onNotice(text) {
				io.stderr(`serialwatch: ${text}\n`);
			},
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
		},
	);

	const onUsr1 = () => {
		// A report that cannot be written now must not stop the monitoring.
		try {
			io.stderr(`serialwatch: report written to ${session.writeReport()}\n`);
		} catch (error) {
			io.stderr(`serialwatch: ${errorMessage(error)}\n`);
		}
	};

	// Installed before the port opens: without a listener, Node.js takes SIGUSR1 to start its inspector.
	process.on('SIGUSR1', onUsr1);
	try {
		await session.start();
	} catch (error) {
		process.off('SIGUSR1', onUsr1);
		if (error instanceof PortOpenError) {
			io.stderr(`serialwatch: ${error.message}\n`);
			return 1;
		}

		throw error;
	}

	const result = await session.finished;
	process.off('SIGUSR1', onUsr1);
	const {code, message} = runOutcome(
		result,
		options.demo ? 'the demo device' : config.serial.port,
		session.paths,
	);
	io.stderr(message);
	return code;
}
