// The dashboard's collector: the whole monitoring run (port, files, detector, config in
// effect) in a process of its own, so that a terminal that stops reading, which blocks
// the screen process's synchronous writes, freezes only the picture, never the logging.
// It publishes snapshots of monitor-state one at a time: the next goes once the screen
// has taken the last, so nothing queues behind a stalled terminal.
import {basename} from 'node:path';
import {formatChange, formatChanges} from '../core/config-diff.js';
import {describeFailure} from '../core/describe-failure.js';
import {errorMessage} from '../core/error-message.js';
import {startDemoDevice} from '../adapters/demo-device.js';
import {detectorSettings} from '../core/config.js';
import type {CollectorChannel, CollectorInput} from './collector-protocol.js';
import {watchLiveConfig, type LiveConfigEvent} from './live-config.js';
import {createMonitorState} from './monitor-state.js';
import {openMonitorSession} from './monitor-session.js';
import {runOutcome} from './run-summary.js';

export async function runCollector(
	input: CollectorInput,
	channel: CollectorChannel,
	/** Stops the run: SIGINT/SIGTERM/SIGHUP in the collector's process. */
	signal: AbortSignal,
): Promise<void> {
	const stopping = new AbortController();
	const stop = () => {
		stopping.abort();
	};

	signal.addEventListener('abort', stop);
	channel.onDisconnect(stop);
	let result: {code: number; message: string};
	try {
		result = await run(input, channel, stopping);
	} catch (error) {
		// Told as the headless monitor tells it, with its exit code.
		const {exitCode, message} = describeFailure(error);
		result = {code: exitCode, message: `serialwatch: ${message}\n`};
	} finally {
		signal.removeEventListener('abort', stop);
	}

	channel.send({type: 'done', ...result});
}

async function run(
	input: CollectorInput,
	channel: CollectorChannel,
	stopping: AbortController,
): Promise<{code: number; message: string}> {
	const {config} = input;
	let lastRetryReason: string | undefined;
	// Its hooks run only once it has started: the state below is there by then.
	const session = openMonitorSession(
		{
			config,
			device: input.demo ? startDemoDevice(config, stopping.signal) : undefined,
			signal: stopping.signal,
			durationS: input.durationS,
		},
		{
			onEvents(events) {
				state.onEvents(events);
				changed();
			},
			onReadings(rows) {
				state.onReadings(rows);
				changed();
			},
			onErrors(errors) {
				state.onErrors(errors);
				changed();
			},
			onStatus(status) {
				state.onStatus(status, Date.now());
				changed();
				// A port that is there but will not open (held by another program, no
				// permission yet): say why, once per reason.
				if (
					status.state === 'retrying' &&
					!status.missing &&
					status.reason !== lastRetryReason
				) {
					notice(status.reason.split('\n').join(' '), 'error');
				}

				lastRetryReason =
					status.state === 'retrying' ? status.reason : undefined;
			},
			onNotice(text) {
				notice(text);
			},
			onLines(time, firstLine, lines) {
				state.onRawLines(time, firstLine, lines);
				changed();
			},
		},
	);

	const settings = detectorSettings(config);
	const state = createMonitorState({
		config,
		profile: settings.profile,
		settings,
		configPath: input.configPath,
		configSource: input.configSource,
		demo: input.demo,
		startedAt: session.startedAt,
		reportPath: session.paths.report,
		lineCounts: () => session.stats,
	});
	let dirty = true;
	let awaitingAck = false;
	// Not before the screen may draw again (its ack says when): sooner would be replaced unseen.
	let holdUntil = 0;
	let held: NodeJS.Timeout | undefined;
	const changed = () => {
		dirty = true;
	};

	const notice = (text: string, level: 'info' | 'error' = 'info') => {
		state.notice(text, Date.now(), level);
		changed();
	};

	const publish = () => {
		if (dirty && !awaitingAck && Date.now() >= holdUntil) {
			dirty = false;
			awaitingAck = true;
			// Open incidents as they stand now, so their peak agrees with the reading beside it.
			state.refreshActive(session.active());
			// Sent as crossing times: the screen counts down to them with its own clock.
			state.refreshPredictions(session.predictions());
			state.refreshIntegrations(session.integrations());
			channel.send({type: 'state', snapshot: state.snapshot(Date.now())});
		}
	};

	channel.onMessage((message) => {
		switch (message.type) {
			case 'stop': {
				stopping.abort();
				break;
			}

			case 'ack': {
				awaitingAck = false;
				// Bounded: a screen's word never silences it for more than a second.
				const readyIn = message.readyInMs ?? 0;
				const holdMs = Number.isFinite(readyIn)
					? Math.min(1000, Math.max(0, readyIn))
					: 0;
				holdUntil = Date.now() + holdMs;
				// Sent when the screen can draw it, not at the publisher's next beat after.
				clearTimeout(held);
				held = holdMs > 0 ? setTimeout(publish, holdMs) : undefined;
				break;
			}

			case 'report': {
				session.writeReport().then(
					(path) => {
						notice(`report written to ${path}`);
					},
					(error: unknown) => {
						notice(errorMessage(error), 'error');
					},
				);
				break;
			}

			case 'start': {
				break; // Taken by the channel before the run.
			}
		}
	});

	const showConfigEvent = (event: LiveConfigEvent) => {
		switch (event.type) {
			case 'applied': {
				state.configApplied(event.config, detectorSettings(event.config));
				notice(
					[
						event.changes.length === 0 &&
						event.refused.length === 0 &&
						event.overridden.length === 0
							? 'config reloaded: nothing changed'
							: event.changes.length > 0
								? `config applied: ${formatChanges(event.changes)}`
								: '',
						event.refused.length > 0
							? `not applied: ${formatChanges(event.refused)} (still on ${event.config.serial.port} at ${event.config.serial.baud_rate} baud)`
							: '',
						...event.overridden.map(
							({change, flag}) =>
								`${formatChange(change)} in the file is overridden by ${flag}`,
						),
						...event.warnings.map((warning) => `warning: ${warning}`),
					]
						.filter(Boolean)
						.join('; '),
					event.warnings.length > 0 || event.refused.length > 0
						? 'error'
						: 'info',
				);
				break;
			}

			case 'rejected': {
				state.configRejected(event.message);
				// One line on screen: the first problem, named by file name, line and key.
				const [first, ...more] = event.message
					.replaceAll(input.configPath, basename(input.configPath))
					.split('\n');
				notice(
					`not applied: ${first}${more.length > 0 ? ` (+${more.length} more)` : ''}`,
					'error',
				);
				break;
			}

			case 'problem': {
				notice(event.message, 'error');
				break;
			}
		}
	};

	// Watched from the start, so an edit made while raw.log is taken up or the port opens
	// is not missed (the session applies it once those are done).
	const live = watchLiveConfig({
		config,
		path: input.configPath,
		overrides: input.overrides,
		session,
		onEvent(event) {
			showConfigEvent(event);
		},
	});
	const publisher = setInterval(
		publish,
		Math.max(20, Math.round(1000 / config.ui.max_fps)),
	);
	// The rate, the heartbeat age and open incidents move with the clock alone.
	const clock = setInterval(changed, 1000);
	publish();
	try {
		await session.start();
		// Incidents still open from earlier runs (the raw.log catch-up) start the table.
		state.onEvents(
			session.active().map((incident) => ({
				event: 'fired',
				at: incident.timestamp,
				incident,
			})),
		);
		return runOutcome(
			await session.finished,
			input.demo ? 'the demo device' : live.current().serial.port,
			session.paths,
		);
	} finally {
		// Whatever went wrong above, the run ends with its files closed and its lock released.
		session.stop();
		await session.finished.catch(() => undefined);
		live.close();
		clearInterval(publisher);
		clearInterval(clock);
		clearTimeout(held);
	}
}
