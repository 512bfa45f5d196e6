// What the dashboard shows, kept up to date from a session's callbacks and handed out as
// plain snapshots (they cross to the screen's process by structured clone, so they stay
// small). No I/O: the collector feeds it and decides when to publish.
import type {Config} from '../core/config.js';
import {escapeBytes, type StatusLevel} from '../core/protocol.js';
import type {
	DeviceProfile,
	FieldValue,
	Reading,
} from '../core/device-profile.js';
import type {DetectorSettings} from '../core/rule-spec.js';
import {fieldBands, statusTextLevel, type Band} from '../core/field-bands.js';
import type {
	IncidentEvent,
	IncidentType,
	ReportEntry,
	Severity,
} from '../core/incident.js';
import type {Prediction} from '../core/prediction.js';
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
	/** A predict rule's: its peak is the shortest time to the threshold, in seconds. */
	predicted?: true;
};

/** A field as the screen shows it; a number field with the bands its rules draw. */
export type FieldView =
	| {
			type: 'number';
			name: string;
			label: string;
			unit: string;
			decimals: number;
			bands: readonly Band[];
			/** The first change rule's step, which sets how small a swing is drawn flat. */
			change: {max: number; per: 'reading' | 'second'} | undefined;
			/** The physical range, for the scale when no rule gives one. */
			range: readonly [number, number];
	  }
	| {type: 'status'; name: string; label: string};

/** A reading with the time it came, as the line pipeline hands it on. */
export type ReadingRow = {readonly time: number; readonly reading: Reading};

/** Where a number field's trend reaches its critical band, as the screen counts down to it. */
export type FieldPrediction = Pick<
	Prediction,
	'target' | 'direction' | 'crossingAt'
>;

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
	/** The device's fields, in its order: what the reading line and the charts show. */
	fields: FieldView[];
	/** The built-in T/V/S device, whose screen keeps its own wording. */
	builtin: boolean;
	last:
		| {
				time: number;
				/**
				 * Index-aligned with `fields`: the latest value of each, kept from an earlier
				 * line while an optional field is absent. Status text is escaped: device text
				 * never reaches the terminal raw.
				 */
				values: FieldValue[];
				/** Each status field's own level; undefined for number fields. */
				levels: Array<StatusLevel | undefined>;
				level: StatusLevel;
		  }
		| undefined;
	/** Any line, valid or not: the heartbeat. */
	lastLineAt: number | undefined;
	lastBadLine: {time: number; reason: string; text: string} | undefined;
	/** Index-aligned with `fields`: a number field's recent values, oldest first; [] for status fields. */
	history: number[][];
	/**
	 * Index-aligned with `fields`: a number field's prediction while one holds (its
	 * PREDICTED_BREACH incident is open), else undefined.
	 */
	predicted: Array<FieldPrediction | undefined>;
	/** Newest first, at most maxAlertRows; the report keeps them all. */
	alerts: AlertRow[];
	alertsDropped: number;
	heartbeatTimeoutS: number;
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
	/** The predictions that hold now, all of them: a field left out has none. */
	refreshPredictions(predictions: readonly Prediction[]): void;
	onReadings(rows: readonly ReadingRow[]): void;
	onErrors(errors: readonly ParserError[]): void;
	/** Lines as appended to raw.log at `time`; `firstLine` is the raw.log line number of the first. */
	onRawLines(
		time: number,
		firstLine: number,
		lines: readonly Uint8Array[],
	): void;
	onStatus(status: SourceStatus, now: number): void;
	notice(text: string, now: number, level?: Notice['level']): void;
	/** A live edit applied: the bands move with `settings` (the profile waits for a restart). */
	configApplied(config: Config, settings: DetectorSettings): void;
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
	/** The device the run reads; fixed for the run. */
	profile: DeviceProfile;
	settings: DetectorSettings;
	configPath: string;
	configSource: ConfigSource;
	demo: boolean;
	startedAt: number;
	reportPath: string;
	/** The line pipeline's running counts: the one place lines are counted. */
	lineCounts: () => Readonly<LineCounts>;
}): MonitorState {
	let {config, configSource} = options;
	const {profile} = options;
	let {settings} = options;
	let fields = fieldViews(profile, settings);
	const rawLines = createRecentLines(rawLinesKept, rawLineChars);
	const alerts = new Map<string, AlertRow>();
	let alertsDropped = 0;
	const state = {
		connection: (options.demo
			? {state: 'demo'}
			: {state: 'connecting', path: config.serial.port}) as Connection,
		last: undefined as {time: number; level: StatusLevel} | undefined,
		lastLineAt: undefined as number | undefined,
		lastBadLine: undefined as MonitorSnapshot['lastBadLine'],
		configError: undefined as string | undefined,
		notice: undefined as Notice | undefined,
		integrations: [] as ObserverHealth[],
	};
	let histories: number[][] = profile.fields.map(() => []);
	let predicted: Array<FieldPrediction | undefined> = profile.fields.map(
		() => undefined,
	);
	// Index-aligned with the profile's fields, as a reading's values are.
	const latest: FieldValue[] = profile.fields.map(() => undefined);
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
			...(settings.rules.some(
				(rule) => rule.kind === 'predict' && rule.type === entry.type,
			)
				? {predicted: true as const}
				: {}),
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
		refreshPredictions(predictions) {
			predicted = profile.fields.map((field) => {
				const prediction =
					field.type === 'number'
						? predictions.find((each) => each.field === field.name)
						: undefined;
				return (
					prediction && {
						target: prediction.target,
						direction: prediction.direction,
						crossingAt: prediction.crossingAt,
					}
				);
			});
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

			const count = profile.fields.length;
			for (const {reading} of rows) {
				const {values} = reading;
				for (let index = 0; index < count; index++) {
					const value = values[index];
					if (typeof value === 'number') {
						histories[index]!.push(value);
					}
				}
			}

			histories = histories.map((values) => trim(values));
			// The latest value of each field over the batch: an optional field absent from
			// the last line keeps the value an earlier one gave.
			for (let index = 0; index < count; index++) {
				for (let row = rows.length - 1; row >= 0; row--) {
					const value = rows[row]!.reading.values[index];
					if (value !== undefined) {
						latest[index] = value;
						break;
					}
				}
			}

			const {time, reading} = rows.at(-1)!;
			heard(time, rows.length);
			state.last = {time, level: reading.level};
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
		configApplied(next, nextSettings) {
			config = next;
			settings = nextSettings;
			fields = fieldViews(profile, settings);
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
				fields,
				builtin: profile.builtin,
				last: state.last && {
					...state.last,
					values: latest.map((value) =>
						typeof value === 'string' ? escapeText(value) : value,
					),
					levels: profile.fields.map((field, index) => {
						const value = latest[index];
						return field.type === 'status' && typeof value === 'string'
							? statusTextLevel(field, value)
							: undefined;
					}),
				},
				lastLineAt: state.lastLineAt,
				lastBadLine: state.lastBadLine,
				history: histories.map((values) => values.slice(-points)),
				predicted,
				alerts: [...alerts.values()].toReversed(),
				alertsDropped,
				heartbeatTimeoutS: settings.heartbeat_timeout_s,
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

function fieldViews(
	profile: DeviceProfile,
	settings: DetectorSettings,
): FieldView[] {
	return profile.fields.map((field) =>
		field.type === 'number'
			? {
					type: 'number',
					name: field.name,
					label: field.label,
					unit: field.unit,
					decimals: field.decimals,
					range: field.range,
					...fieldBands(settings, field.name),
				}
			: {type: 'status', name: field.name, label: field.label},
	);
}

/** A status already parsed is plain ASCII, but it is device text: escape it all the same. */
function escapeText(text: string): string {
	return escapeBytes(encoder.encode(text));
}
