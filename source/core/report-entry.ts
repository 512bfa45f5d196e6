// An incident's report entry, and its description: rendered from the incident's own data
// (the rule it fired under, its peak), so that a live run, a replay and an incident
// restored from a checkpoint all describe it in the same words.
import {
	builtinReportOrder,
	formatThreshold,
	incidentId,
	type FieldMeta,
	type Incident,
	type ReportEntry,
	type Trend,
} from './incident.js';
import type {BandRuleSpec} from './rule-spec.js';
import {warningLevel} from './rules/band.js';

export function toReportEntry(incident: Incident, now: number): ReportEntry {
	const timestamp = new Date(incident.start).toISOString();
	const at = incident.end ?? now;
	return {
		timestamp,
		type: incident.type,
		severity: incident.severity,
		description: describeIncident(incident, at),
		id: incidentId(incident.type, timestamp),
		end:
			incident.end === undefined ? null : new Date(incident.end).toISOString(),
		value: incident.value ?? null,
		peak:
			(incident.end === undefined ? ongoingPeak(incident, now) : undefined) ??
			incident.peak ??
			null,
		threshold: incident.threshold ?? null,
		readings: incident.readings,
		first_line: incident.firstLine ?? null,
		last_line: incident.lastLine ?? null,
	};
}

/** The built-in device's report order of entries: by start, then by rule. */
export function compareEntries(a: ReportEntry, b: ReportEntry): number {
	return builtinReportOrder.compareEntries(a, b);
}

/** A silence's length in seconds at `at`, to the tenth: the peak of a HEARTBEAT_LOSS. */
export function silenceSeconds(silentSince: number, at: number): number {
	return Math.round((at - silentSince) / 100) / 10;
}

/** A peak that grows with time alone (a silence under way): its value at `now`. */
function ongoingPeak(incident: Incident, now: number): number | undefined {
	return incident.silentSince === undefined
		? undefined
		: silenceSeconds(incident.silentSince, now);
}

const noField: FieldMeta = {label: '', unit: '', decimals: 2};

// Descriptions name the threshold the incident fired against: its own `threshold` (which
// a worsening updates), else the rule it fired under, never one retuned later. The built-in
// device's sentences are these with its fields' labels, units and two decimals.
function describeIncident(incident: Incident, at: number): string {
	const {rule, field} = incident.basis;
	const {label, unit, decimals} = field ?? noField;
	const peak = fixed(incident.peak, decimals);
	switch (rule.kind) {
		case 'above':
		case 'below': {
			const verb = rule.kind === 'above' ? 'exceeded' : 'was below';
			return `${label} ${peak}${unit} ${verb} ${bandThreshold(incident, rule)}${unit}.`;
		}

		case 'outside': {
			return `${label} ${peak}${unit} was outside the normal range of ${formatThreshold(rule.low)}${unit}-${formatThreshold(rule.high)}${unit}.`;
		}

		case 'change': {
			const threshold = formatThreshold(incident.threshold ?? rule.max);
			return rule.per === 'second'
				? `${label} changed at ${peak}${unit}/s, exceeding the rate-of-change threshold of ${threshold}${unit}/s.`
				: `${label} changed by ${peak}${unit}, exceeding the rate-of-change threshold of ${threshold}${unit}.`;
		}

		case 'heartbeat': {
			const silence = silenceSeconds(
				incident.silentSince ?? incident.start,
				at,
			);
			return `No data received for ${silence.toFixed(1)} seconds. Device may be offline.`;
		}

		case 'status': {
			return `Device reported ${statusOf(field)}${String(incident.peak)}.`;
		}

		case 'mismatch': {
			const firing = String(incident.peak);
			return `Device reported ${field === undefined ? '' : statusOf(field)}NORMAL while ${firing} ${firing.includes(' and ') ? 'were' : 'was'} firing; its own sensing disagrees with the readings.`;
		}

		case 'parse_errors': {
			return `${String(incident.peak)} malformed lines within a minute, more than the limit of ${rule.max_per_min} per minute.`;
		}

		case 'predict': {
			return describeTrend(incident.trend, label, unit, decimals);
		}
	}
}

/**
 * A predicted breach at its peak: "Temperature 72.4°C rising 0.9°C/min; reaches 80.0°C in
 * about 8 min." The rate shows the field's decimals, more where those would round it to 0.
 */
function describeTrend(
	trend: Trend | undefined,
	label: string,
	unit: string,
	decimals: number,
): string {
	if (trend === undefined) {
		return `${label} is trending towards its critical level.`;
	}

	const perMin = Math.abs(trend.ratePerS) * 60;
	let rateDecimals = decimals;
	while (rateDecimals < 6 && Number(perMin.toFixed(rateDecimals)) === 0) {
		rateDecimals++;
	}

	const direction = trend.ratePerS > 0 ? 'rising' : 'falling';
	return `${label} ${trend.value.toFixed(decimals)}${unit} ${direction} ${perMin.toFixed(rateDecimals)}${unit}/min; reaches ${formatThreshold(trend.target)}${unit} ${etaText(trend.etaS)}.`;
}

/** A time to a crossing in words: minutes up to an hour and a half, then hours to the tenth. */
export function etaText(seconds: number): string {
	if (seconds < 60) {
		return 'in less than a minute';
	}

	return seconds < 5400
		? `in about ${Math.round(seconds / 60)} min`
		: `in about ${(seconds / 3600).toFixed(1)} h`;
}

/** The level a band incident is past, named: its own threshold, else its severity's level. */
function bandThreshold(incident: Incident, rule: BandRuleSpec): string {
	const critical = incident.severity === 'CRITICAL';
	const threshold = critical
		? (incident.threshold ?? rule.crit ?? rule.warn)
		: (incident.threshold ?? warningLevel(rule) ?? rule.crit);
	return `${critical ? '' : 'warning '}threshold of ${formatThreshold(Number(threshold))}`;
}

/** Names the status field only where the profile has several. */
function statusOf(field: FieldMeta | undefined): string {
	return field === undefined ? 'status ' : `${field.label} status `;
}

function fixed(value: number | string | undefined, decimals: number): string {
	return typeof value === 'number' ? value.toFixed(decimals) : String(value);
}
