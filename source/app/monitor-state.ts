// What the dashboard shows, kept up to date from a session's callbacks and handed out as
// plain snapshots (they cross to the screen's process by structured clone, so they stay
// small). No I/O: the collector feeds it and decides when to publish.
import type {Config} from '../core/config.js';
import {escapeBytes, type StatusLevel} from '../core/protocol.js';
import type {
	IncidentEvent,
	IncidentType,
	ReportEntry,
	Severity,
} from '../core/incident.js';
import type {MetricsRow} from '../adapters/metrics-csv.js';
import type {ParserError} from '../adapters/parser-error-log.js';
import type {SourceStatus} from '../adapters/serial-source.js';
import {createRecentLines, type RecentLine} from './recent-lines.js';
import type {ObserverHealth} from './run-observer.js';

export type Connection =
	| {state: 'demo'}
	| {state: 'connecting'; path: string}
	/** The port does not exist yet: checked every reconnect interval since `since`. */
	| {state: 'waiting'; path: string; since: number}
	| {state: 'connected'; path: string; since: number}
	| {state: 'reconnecting'; path: string; since: number; reason: string};

export type AlertRow = {
	id: string;
	start: number;
	/** When it resolved; null while firing. */
	end: number | null;
	type: IncidentType;
	severity: Severity;
	/** Escaped, as all device text on screen. */
	description: string;
	peak: number | string | null;
	threshold: number | null;
};

export type Notice = {time: number; text: string; level: 'info' | 'error'};

export type LineCounts = {lines: number; valid: number; malformed: number};

/** Whether the settings came from a config file or are the built-in defaults (no file). */
export type ConfigSource = 'file' | 'defaults';

export type MonitorSnapshot = {
	source: {port: string; baudRate: number; demo: boolean; scenario: string};
	connection: Connection;
	startedAt: number;
	/** From the line pipeline's counts, read when the snapshot is taken. */
	lines: number;
	valid: number;
	malformed: number;
	/** Lines per second over the last few seconds. */
	rate: number;
	last:
		| {
				time: number;
				temperature: number;
				voltage: number;
				/** Escaped: device text never reaches the terminal raw. */
				status: string;
				level: StatusLevel;
		  }
		| undefined;
	/** Any line, valid or not: the heartbeat. */
	lastLineAt: number | undefined;
	lastBadLine: {time: number; reason: string; text: string} | undefined;
	history: {temperature: number[]; voltage: number[]};
	/** Newest first, at most maxAlertRows; the report keeps them all. */
	alerts: AlertRow[];
	alertsDropped: number;
	thresholds: Config['thresholds'];
	historyPoints: number;
	/** The zone the screen's times of day are shown in. */
	timezone: Config['ui']['timezone'];
	config: {
		path: string;
		source: ConfigSource;
		valid: boolean;
		/** The last refused edit's whole message, while it stands. */
		error: string | undefined;
	};
	/** The last lines received, oldest first, escaped, with their raw.log line numbers. */
	rawLines: RecentLine[];
	notice: Notice | undefined;
	reportPath: string;
	/** The integrations that are on (exporters, alert sinks), and how each is doing. */
	integrations: ObserverHealth[];
};

export type MonitorState = {
	onEvents(events: readonly IncidentEvent[]): void;
	/** The open incidents as they stand now: a silence's length, a peak that grew without an event. */
	refreshActive(active: readonly ReportEntry[]): void;
	refreshIntegrations(health: readonly ObserverHealth[]): void;
	onReadings(rows: readonly MetricsRow[]): void;
	onErrors(errors: readonly ParserError[]): void;
	/** Lines as appended to raw.log at `time`; `firstLine` is the raw.log line number of the first. */
	onRawLines(
		time: number,
		firstLine: number,
		lines: readonly Uint8Array[],
	): void;
	onStatus(status: SourceStatus, now: number): void;
	notice(text: string, now: number, level?: Notice['level']): void;
	configApplied(config: Config): void;
	configRejected(message: string): void;
	snapshot(now: number): MonitorSnapshot;
};

export const maxAlertRows = 500;
/** Raw lines kept: more than the tallest terminal shows. */
export const rawLinesKept = 200;
// Wider than a terminal line, and small enough that 200 of them keep a snapshot light
// (about 50 kB at most); a longer line (up to max_line_bytes) is cut with "…".
const rawLineChars = 256;
const rateWindowS = 5;

export function createMonitorState(options: {
	config: Config;
	configPath: string;
	configSource: ConfigSource;
	demo: boolean;
	startedAt: number;
	reportPath: string;
	/** The line pipeline's running counts: the one place lines are counted. */
	lineCounts: () => Readonly<LineCounts>;
}): MonitorState {
	let {config, configSource} = options;
	const rawLines = createRecentLines(rawLinesKept, rawLineChars);
	const alerts = new Map<string, AlertRow>();
	let alertsDropped = 0;
	const state = {
		connection: (options.demo
			? {state: 'demo'}
			: {state: 'connecting', path: config.serial.port}) as Connection,
		last: undefined as MonitorSnapshot['last'],
		lastLineAt: undefined as number | undefined,
		lastBadLine: undefined as MonitorSnapshot['lastBadLine'],
		configError: undefined as string | undefined,
		notice: undefined as Notice | undefined,
		integrations: [] as ObserverHealth[],
	};
	let temperatures: number[] = [];
	let voltages: number[] = [];
	// Lines per whole second, for the rate: [second, count] pairs, oldest first.
	const perSecond: Array<[number, number]> = [];

	const heard = (time: number, count: number) => {
		state.lastLineAt = Math.max(state.lastLineAt ?? time, time);
		const second = Math.floor(time / 1000);
		const latest = perSecond.at(-1);
		if (latest?.[0] === second) {
			latest[1] += count;
		} else {
			perSecond.push([second, count]);
			if (perSecond.length > rateWindowS + 1) {
				perSecond.shift();
			}
		}
	};

	const trim = (values: number[]) =>
		values.length > config.ui.history_points * 2
			? values.slice(-config.ui.history_points)
			: values;

	const addAlert = (entry: ReportEntry) => {
		alerts.set(entry.id, {
			id: entry.id,
			start: Date.parse(entry.timestamp),
			end: entry.end === null ? null : Date.parse(entry.end),
			type: entry.type,
			severity: entry.severity,
			description: escapeText(entry.description),
			peak:
				typeof entry.peak === 'string' ? escapeText(entry.peak) : entry.peak,
			threshold: entry.threshold,
		});
		if (alerts.size > maxAlertRows) {
			// Map order is insertion order: the oldest resolved one goes first.
			const victim =
				[...alerts.values()].find((row) => row.end !== null) ??
				alerts.values().next().value!;
			alerts.delete(victim.id);
			alertsDropped++;
		}
	};

	return {
		onEvents(events) {
			for (const {incident} of events) {
				addAlert(incident);
			}
		},
		refreshIntegrations(health) {
			state.integrations = [...health];
		},
		refreshActive(active) {
			for (const entry of active) {
				if (alerts.has(entry.id)) {
					addAlert(entry);
				}
			}
		},
		onReadings(rows) {
			if (rows.length === 0) {
				return;
			}

			for (const {reading} of rows) {
				temperatures.push(Number(reading.values[0]));
				voltages.push(Number(reading.values[1]));
			}

			temperatures = trim(temperatures);
			voltages = trim(voltages);
			const {time, reading} = rows.at(-1)!;
			heard(time, rows.length);
			state.last = {
				time,
				temperature: Number(reading.values[0]),
				voltage: Number(reading.values[1]),
				status: String(reading.values[2]),
				level: reading.level,
			};
		},
		onErrors(errors) {
			if (errors.length === 0) {
				return;
			}

			const {time, reason, bytes} = errors.at(-1)!;
			heard(time, errors.length);
			state.lastBadLine = {time, reason, text: escapeBytes(bytes)};
		},
		onRawLines(time, firstLine, lines) {
			rawLines.add(time, firstLine, lines);
		},
		onStatus(status, now) {
			if (options.demo) {
				return;
			}

			state.connection =
				status.state === 'open'
					? {state: 'connected', path: status.path, since: now}
					: status.state === 'waiting'
						? state.connection.state === 'waiting' &&
							state.connection.path === status.path
							? state.connection
							: {state: 'waiting', path: status.path, since: now}
						: state.connection.state === 'reconnecting'
							? {...state.connection, reason: status.reason}
							: {
									state: 'reconnecting',
									path: status.path,
									since: now,
									reason: status.reason,
								};
		},
		notice(text, now, level = 'info') {
			state.notice = {time: now, text, level};
		},
		// Both come from an edit of the file, which exists from then on.
		configApplied(next) {
			config = next;
			configSource = 'file';
			state.configError = undefined;
		},
		configRejected(message) {
			configSource = 'file';
			state.configError = message;
		},
		snapshot(now) {
			const second = Math.floor(now / 1000);
			// Whole seconds only: the current one is still filling.
			const recent = perSecond
				.filter(([s]) => s < second && s >= second - rateWindowS)
				.reduce((sum, [, count]) => sum + count, 0);
			const points = config.ui.history_points;
			const {lines, valid, malformed} = options.lineCounts();
			return {
				source: {
					port: config.serial.port,
					baudRate: config.serial.baud_rate,
					demo: options.demo,
					scenario: config.emulator.scenario,
				},
				connection: state.connection,
				startedAt: options.startedAt,
				lines,
				valid,
				malformed,
				rate:
					recent /
					Math.min(
						rateWindowS,
						Math.max(1, second - Math.floor(options.startedAt / 1000)),
					),
				last: state.last && {
					...state.last,
					status: escapeText(state.last.status),
				},
				lastLineAt: state.lastLineAt,
				lastBadLine: state.lastBadLine,
				history: {
					temperature: temperatures.slice(-points),
					voltage: voltages.slice(-points),
				},
				alerts: [...alerts.values()].toReversed(),
				alertsDropped,
				thresholds: config.thresholds,
				historyPoints: points,
				timezone: config.ui.timezone,
				config: {
					path: options.configPath,
					source: configSource,
					valid: state.configError === undefined,
					error: state.configError,
				},
				rawLines: rawLines.list(),
				notice: state.notice,
				reportPath: options.reportPath,
				integrations: state.integrations,
			};
		},
	};
}

const encoder = new TextEncoder();

/** A status already parsed is plain ASCII, but it is device text: escape it all the same. */
function escapeText(text: string): string {
	return escapeBytes(encoder.encode(text));
}
