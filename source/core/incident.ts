// An incident: consecutive evidence of one rule, from start to resolution, and its
// report entry. The entry's first four keys (timestamp, type, severity, description) are
// the minimal report every consumer reads; the keys after them are what incident tools
// need (an id to deduplicate, the end, the peak, the raw.log lines of the evidence).
import type {Config} from './config.js';
import type {RuleSpec} from './rule-spec.js';

export type Thresholds = Config['thresholds'];

/** The built-in device's incident types, in report order. */
export const incidentTypes = [
	'THRESHOLD_BREACH_TEMP',
	'THRESHOLD_BREACH_VOLTAGE',
	'RAPID_CHANGE_TEMP',
	'HEARTBEAT_LOSS',
	'DEVICE_STATUS',
	'STATUS_MISMATCH',
	'PARSE_ERROR_RATE',
] as const;
export type BuiltinIncidentType = (typeof incidentTypes)[number];
/** A rule's incident type: a built-in one, or one derived from (or named by) a declared rule. */
export type IncidentType = string;
export type Severity = 'WARNING' | 'CRITICAL';

export type Incident = {
	type: IncidentType;
	severity: Severity;
	/** Epoch milliseconds. */
	start: number;
	end: number | undefined;
	value: number | string | undefined;
	peak: number | string | undefined;
	threshold: number | undefined;
	/** Lines that counted as evidence: readings for most rules, malformed lines for PARSE_ERROR_RATE. */
	readings: number;
	/** raw.log line numbers (1-based) of the first and last evidence. */
	firstLine: number | undefined;
	lastLine: number | undefined;
	/**
	 * The rule it fired under: its description names it, whatever is retuned later. Data,
	 * not a closure, so an open incident can be saved in a checkpoint and restored.
	 */
	basis: IncidentBasis;
	/** HEARTBEAT_LOSS: when the last line before the silence came (its peak grows from there). */
	silentSince?: number;
	/** A predicted breach: the trend at its peak (the shortest time to the crossing). */
	trend?: Trend;
};

/** A field's trend towards a level, as a predicted breach's description tells it. */
export type Trend = {
	/** The reading it was drawn at, in the field's unit. */
	value: number;
	/** The slope, in the field's unit per second. */
	ratePerS: number;
	/** The level it reaches, and in how many seconds. */
	target: number;
	etaS: number;
};

/** How a field's values read in descriptions. */
export type FieldMeta = {
	readonly label: string;
	readonly unit: string;
	readonly decimals: number;
};

/** The device-wide rules, which watch lines rather than a field. */
export type DeviceRuleSpec =
	| {readonly kind: 'heartbeat'; readonly timeout_s: number}
	| {readonly kind: 'parse_errors'; readonly max_per_min: number};

/**
 * What an incident's description needs: its rule's settings and its field's label, unit
 * and decimals as they were when it fired. A status rule's field is undefined when the
 * profile has one status field, which its description then need not name.
 */
export type IncidentBasis = {
	readonly rule: RuleSpec | DeviceRuleSpec;
	readonly field: FieldMeta | undefined;
};

export type IncidentEventKind = 'fired' | 'worsened' | 'resolved';

export type IncidentEvent = {
	event: IncidentEventKind;
	/**
	 * When the detector saw it happen (ISO 8601 UTC): the time of the line, or of the tick,
	 * that fired, worsened or resolved the incident. A heartbeat loss is seen at the first
	 * tick past its timeout, so its `at` may be a little after its start.
	 */
	at: string;
	incident: ReportEntry;
};

export type ReportEntry = {
	timestamp: string;
	type: IncidentType;
	severity: Severity;
	description: string;
	id: string;
	end: string | null;
	value: number | string | null;
	peak: number | string | null;
	threshold: number | null;
	readings: number;
	first_line: number | null;
	last_line: number | null;
};

/**
 * Report order: by start time, then by rule, so equal inputs give equal bytes. Rules rank
 * in the order of `types` (the detector's settings give it); a type not among them (one
 * from a journal of an earlier profile) comes after them all, by name.
 */
export type ReportOrder = {
	compareTypes(a: IncidentType, b: IncidentType): number;
	compareIncidents(a: Incident, b: Incident): number;
	compareEntries(a: ReportEntry, b: ReportEntry): number;
};

export function reportOrder(types: readonly IncidentType[]): ReportOrder {
	const ranks = new Map(types.map((type, index) => [type, index]));
	const compareTypes = (a: IncidentType, b: IncidentType): number => {
		if (a === b) {
			return 0;
		}

		const rankA = ranks.get(a) ?? ranks.size;
		const rankB = ranks.get(b) ?? ranks.size;
		return rankA - rankB || (a < b ? -1 : 1);
	};

	return {
		compareTypes,
		compareIncidents: (a, b) =>
			a.start - b.start || compareTypes(a.type, b.type),
		compareEntries: (a, b) =>
			(a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0) ||
			compareTypes(a.type, b.type),
	};
}

/** The built-in device's report order. */
export const builtinReportOrder = reportOrder(incidentTypes);

export function compareIncidents(a: Incident, b: Incident): number {
	return builtinReportOrder.compareIncidents(a, b);
}

/**
 * A dedup key derived only from the rule and the start, so a live run and a replay of
 * its raw.log agree: `<type>-<16 hex digits of FNV-1a 64>`.
 */
export function incidentId(type: IncidentType, startIso: string): string {
	// 64-bit arithmetic in two 32-bit halves: BigInt made a report of 150,000 incidents
	// take seconds, all of it on the thread that must hear a second SIGTERM.
	let high = 0xcb_f2_9c_e4;
	let low = 0x84_22_23_25;
	// Both parts are ASCII: each character is its UTF-8 byte.
	const text = `${type}|${startIso}`;
	for (let index = 0; index < text.length; index++) {
		const byte = text.codePointAt(index)!;
		/* eslint-disable no-bitwise -- FNV-1a is defined by xor and a 64-bit product */
		low = (low ^ byte) >>> 0;
		// The prime is 2^40 + 0x1b3: hash * 0x1b3, plus the low half shifted into the high.
		const lowProduct = low * 0x1_b3;
		const carry = Math.floor(lowProduct / 0x1_00_00_00_00);
		high = (high * 0x1_b3 + carry + ((low << 8) >>> 0)) >>> 0;
		low = lowProduct >>> 0;
		/* eslint-enable no-bitwise */
	}

	return `${type.toLowerCase()}-${high.toString(16).padStart(8, '0')}${low.toString(16).padStart(8, '0')}`;
}

/** Thresholds print with one decimal at least (80.0), more when they have them (4.55). */
export function formatThreshold(value: number): string {
	return Number.isInteger(value * 10) ? value.toFixed(1) : String(value);
}
