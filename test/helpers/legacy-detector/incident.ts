// An incident: consecutive evidence of one rule, from start to resolution, and its
// report entry. The entry's first four keys (timestamp, type, severity, description) are
// the minimal report every consumer reads; the keys after them are what incident tools
// need (an id to deduplicate, the end, the peak, the raw.log lines of the evidence).
/** config.yaml's `thresholds` section as the detector took it before rules were data. */
export type Thresholds = {
	temperature: {
		max_c: number;
		warn_c: number | null;
		max_change_c: number;
		for_s: number;
		clear_margin_c: number;
	};
	voltage: {
		min_v: number;
		max_v: number;
		for_s: number;
		clear_margin_v: number;
	};
	heartbeat_timeout_s: number;
	parse_errors: {max_per_min: number};
};

export const incidentTypes = [
	'THRESHOLD_BREACH_TEMP',
	'THRESHOLD_BREACH_VOLTAGE',
	'RAPID_CHANGE_TEMP',
	'HEARTBEAT_LOSS',
	'DEVICE_STATUS',
	'STATUS_MISMATCH',
	'PARSE_ERROR_RATE',
] as const;
export type IncidentType = (typeof incidentTypes)[number];
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
	 * The thresholds it fired under: its description names them, whatever is retuned later.
	 * Data, not a closure, so an open incident can be saved in a checkpoint and restored.
	 */
	basis: Thresholds;
	/** HEARTBEAT_LOSS: when the last line before the silence came (its peak grows from there). */
	silentSince?: number;
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

/** Report order: by start time, then by rule, so equal inputs give equal bytes. */
export function compareIncidents(a: Incident, b: Incident): number {
	return (
		a.start - b.start ||
		incidentTypes.indexOf(a.type) - incidentTypes.indexOf(b.type)
	);
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
