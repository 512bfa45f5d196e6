// What the dashboard shows, kept up to date from a session's callbacks and handed out as
// plain snapshots (they cross from the worker to the main thread by structured clone).
// No I/O: the worker feeds it and decides when to publish.
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

export type MonitorSnapshot = {
	source: {port: string; baudRate: number; demo: boolean; scenario: string};
	connection: Connection;
	startedAt: number;
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
	config: {path: string; valid: boolean; error: string | undefined};
	notice: Notice | undefined;
	reportPath: string;
};

export type MonitorState = {
	onEvents(events: readonly IncidentEvent[]): void;
	/** The open incidents as they stand now: a silence's length, a peak that grew without an event. */
	refreshActive(active: readonly ReportEntry[]): void;
	onReadings(rows: readonly MetricsRow[]): void;
	onErrors(errors: readonly ParserError[]): void;
	onStatus(status: SourceStatus, now: number): void;
	notice(text: string, now: number, level?: Notice['level']): void;
	configApplied(config: Config): void;
	configRejected(message: string): void;
	snapshot(now: number): MonitorSnapshot;
};

export const maxAlertRows = 500;
const rateWindowS = 5;

export function createMonitorState(options: {
	config: Config;
	configPath: string;
	demo: boolean;
	startedAt: number;
	reportPath: string;
}): MonitorState {
	let {config} = options;
	const alerts = new Map<string, AlertRow>();
	let alertsDropped = 0;
	const state = {
		connection: (options.demo
			? {state: 'demo'}
			: {state: 'connecting', path: config.serial.port}) as Connection,
		lines: 0,
		valid: 0,
		malformed: 0,
		last: undefined as MonitorSnapshot['last'],
		lastLineAt: undefined as number | undefined,
		lastBadLine: undefined as MonitorSnapshot['lastBadLine'],
		configError: undefined as string | undefined,
		notice: undefined as Notice | undefined,
	};
	let temperatures: number[] = [];
	let voltages: number[] = [];
	// Lines per whole second, for the rate: [second, count] pairs, oldest first.
	const perSecond: Array<[number, number]> = [];

	const countLines = (time: number, count: number) => {
		state.lines += count;
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
				temperatures.push(reading.temperature);
				voltages.push(reading.voltage);
			}

			temperatures = trim(temperatures);
			voltages = trim(voltages);
			const {time, reading} = rows.at(-1)!;
			state.valid += rows.length;
			countLines(time, rows.length);
			state.last = {
				time,
				temperature: reading.temperature,
				voltage: reading.voltage,
				status: reading.status,
				level: reading.level,
			};
		},
		onErrors(errors) {
			if (errors.length === 0) {
				return;
			}

			state.malformed += errors.length;
			const {time, reason, bytes} = errors.at(-1)!;
			countLines(time, errors.length);
			state.lastBadLine = {time, reason, text: escapeBytes(bytes)};
		},
		onStatus(status, now) {
			if (options.demo) {
				return;
			}

			state.connection =
				status.state === 'open'
					? {state: 'connected', path: status.path, since: now}
					: status.state === 'waiting'
						? state.connection.state === 'waiting'
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
		configApplied(next) {
			config = next;
			state.configError = undefined;
		},
		configRejected(message) {
			state.configError = message;
		},
		snapshot(now) {
			const second = Math.floor(now / 1000);
			// Whole seconds only: the current one is still filling.
			const recent = perSecond
				.filter(([s]) => s < second && s >= second - rateWindowS)
				.reduce((sum, [, count]) => sum + count, 0);
			const points = config.ui.history_points;
			return {
				source: {
					port: config.serial.port,
					baudRate: config.serial.baud_rate,
					demo: options.demo,
					scenario: config.emulator.scenario,
				},
				connection: state.connection,
				startedAt: options.startedAt,
				lines: state.lines,
				valid: state.valid,
				malformed: state.malformed,
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
				config: {
					path: options.configPath,
					valid: state.configError === undefined,
					error: state.configError,
				},
				notice: state.notice,
				reportPath: options.reportPath,
			};
		},
	};
}

const encoder = new TextEncoder();

/** A status already parsed is plain ASCII, but it is device text: escape it all the same. */
function escapeText(text: string): string {
	return escapeBytes(encoder.encode(text));
}
