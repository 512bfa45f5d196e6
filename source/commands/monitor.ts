// `serialwatch [monitor] --headless` (and any run whose stdout is not a terminal): every
// incident event and every applied config edit is one JSON line on stdout; what a person
// needs to know (listening, waiting, lost, a refused edit) goes to stderr, and a summary
// at exit.
import {detectorSettings} from '../core/config.js';
import {scenarioForDevice} from '../core/emulator.js';
import {formatChange, type ConfigChange} from '../core/config-diff.js';
import {errorMessage} from '../core/error-message.js';
import type {IncidentEvent} from '../core/incident.js';
import type {SourceStatus} from '../adapters/serial-source.js';
import {watchLiveConfig, type LiveConfigEvent} from '../app/live-config.js';
import type {MonitorOptions} from '../app/monitor-options.js';
import {openMonitorSession} from '../app/monitor-session.js';
import {startDemoDevice} from '../adapters/demo-device.js';
import {runOutcome} from '../app/run-summary.js';
import type {CommandIo} from './command-io.js';

export async function monitor(
	options: MonitorOptions,
	io: CommandIo,
): Promise<number> {
	const {config} = options;
	// What the dashboard's header says: a config.yaml deleted before a restart must not
	// pass unnoticed.
	if (options.configSource === 'defaults') {
		io.stderr(
			`serialwatch: no ${options.configPath} here: the built-in defaults apply (serialwatch init writes one to edit)\n`,
		);
	}

	const printEvents = (events: readonly IncidentEvent[]) => {
		for (const {event, at, incident} of events) {
			io.events.write(`${JSON.stringify({event, at, ...incident})}\n`);
		}
	};

	let lastStatus: string | undefined;
	const printStatus = (status: SourceStatus) => {
		// Once per change: a port waited for is looked at every few seconds, and one that
		// exists but will not open says why once, not at every retry.
		const key =
			status.state === 'retrying' ? `retrying ${status.reason}` : status.state;
		if (key === lastStatus) {
			return;
		}

		lastStatus = key;
		switch (status.state) {
			case 'open': {
				io.stderr(
					options.demo
						? `serialwatch: listening on the demo device (in-process, scenario ${scenarioForDevice(config.emulator.scenario, detectorSettings(config))}, seed ${config.emulator.seed})\n`
						: `serialwatch: listening on ${status.path}\n`,
				);
				break;
			}

			case 'waiting': {
				io.stderr(
					`serialwatch: waiting for ${status.path} (not present; serialwatch ports lists the ports)\n`,
				);
				break;
			}

			case 'lost': {
				io.stderr(
					`serialwatch: lost ${status.path} (${status.reason}); retrying every ${config.serial.reconnect_interval_s} s\n`,
				);
				break;
			}

			case 'retrying': {
				// Still away after a loss: the 'lost' line said so already.
				if (!status.missing) {
					io.stderr(
						`serialwatch: ${status.reason}\nserialwatch: retrying every ${config.serial.reconnect_interval_s} s\n`,
					);
				}

				break;
			}
		}
	};

	const session = openMonitorSession(
		{
			config,
			device: options.demo ? startDemoDevice(config, io.signal) : undefined,
			signal: io.signal,
			durationS: options.durationS,
		},
		{
			onEvents: printEvents,
			onNotice(text) {
				io.stderr(`serialwatch: ${text}\n`);
			},
			onStatus: printStatus,
		},
	);

	// A report that cannot be written now must not stop the monitoring.
	const stopAnswering = io.reportRequests.answer(() => {
		session.writeReport().then(
			(path) => {
				io.stderr(`serialwatch: report written to ${path}\n`);
			},
			(error: unknown) => {
				io.stderr(`serialwatch: ${errorMessage(error)}\n`);
			},
		);
	});
	const live = watchLiveConfig({
		config,
		path: options.configPath,
		overrides: options.overrides,
		session,
		onEvent(event) {
			printConfigEvent(event, io);
		},
	});
	let result;
	try {
		await session.start();
		result = await session.finished;
	} finally {
		live.close();
		stopAnswering();
	}

	const {code, message} = runOutcome(
		result,
		options.demo ? 'the demo device' : live.current().serial.port,
		session.paths,
	);
	io.stderr(message);
	if (io.events.dropped > 0) {
		io.stderr(
			`events: ${io.events.dropped} dropped (stdout was not read fast enough; the files have everything)\n`,
		);
	}

	return code;
}

function printConfigEvent(event: LiveConfigEvent, io: CommandIo): void {
	switch (event.type) {
		case 'applied': {
			const listed = (changes: readonly ConfigChange[]) =>
				changes.map(({path, before, after, effect}) => ({
					key: path,
					before,
					after,
					effect,
				}));
			io.events.write(
				`${JSON.stringify({
					event: 'config',
					at: new Date().toISOString(),
					changes: listed(event.changes),
					// A port that would not open: the run stayed where it was.
					...(event.refused.length > 0 && {refused: listed(event.refused)}),
				})}\n`,
			);
			for (const warning of event.warnings) {
				io.stderr(`serialwatch: warning: ${warning}\n`);
			}

			for (const {change, flag} of event.overridden) {
				io.stderr(
					`serialwatch: ${formatChange(change)} in the file is overridden by ${flag}\n`,
				);
			}

			break;
		}

		case 'rejected': {
			io.stderr(
				`serialwatch: config edit not applied (the last valid config stays in effect):\n${event.message}\n`,
			);
			break;
		}

		case 'problem': {
			io.stderr(`serialwatch: ${event.message}\n`);
			break;
		}
	}
}
