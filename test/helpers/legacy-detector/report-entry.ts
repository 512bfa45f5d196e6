// An incident's report entry, and its description: rendered from the incident's own data
// (the thresholds it fired under, its peak), so that a live run, a replay and an incident
// restored from a checkpoint all describe it in the same words.
import {lowestTemperatureAlarm} from './thresholds.js';
import {
	formatThreshold,
	incidentId,
	incidentTypes,
	type Incident,
	type ReportEntry,
} from './incident.js';

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

/** Report order of entries, as compareIncidents orders incidents: by start, then by rule. */
export function compareEntries(a: ReportEntry, b: ReportEntry): number {
	return (
		(a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0) ||
		incidentTypes.indexOf(a.type) - incidentTypes.indexOf(b.type)
	);
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

// Descriptions name the threshold the incident fired against: its own `threshold` (which
// a worsening updates), else the settings it fired under, never ones retuned later.
function describeIncident(incident: Incident, at: number): string {
	const {temperature, voltage, parse_errors: parseErrors} = incident.basis;
	switch (incident.type) {
		case 'THRESHOLD_BREACH_TEMP': {
			return incident.severity === 'CRITICAL'
				? `Temperature ${fixed(incident.peak)}°C exceeded threshold of ${formatThreshold(incident.threshold ?? temperature.max_c)}°C.`
				: `Temperature ${fixed(incident.peak)}°C exceeded warning threshold of ${formatThreshold(incident.threshold ?? lowestTemperatureAlarm(temperature))}°C.`;
		}

		case 'THRESHOLD_BREACH_VOLTAGE': {
			return `Voltage ${fixed(incident.peak)}V was outside the normal range of ${formatThreshold(voltage.min_v)}V-${formatThreshold(voltage.max_v)}V.`;
		}

		case 'RAPID_CHANGE_TEMP': {
			return `Temperature changed by ${fixed(incident.peak)}°C, exceeding the rate-of-change threshold of ${formatThreshold(incident.threshold ?? temperature.max_change_c)}°C.`;
		}

		case 'HEARTBEAT_LOSS': {
			const silence = silenceSeconds(
				incident.silentSince ?? incident.start,
				at,
			);
			return `No data received for ${silence.toFixed(1)} seconds. Device may be offline.`;
		}

		case 'DEVICE_STATUS': {
			return `Device reported status ${String(incident.peak)}.`;
		}

		case 'STATUS_MISMATCH': {
			const firing = String(incident.peak);
			return `Device reported NORMAL while ${firing} ${firing.includes(' and ') ? 'were' : 'was'} firing; its own sensing disagrees with the readings.`;
		}

		case 'PARSE_ERROR_RATE': {
			return `${String(incident.peak)} malformed lines within a minute, more than the limit of ${parseErrors.max_per_min} per minute.`;
		}
	}
}

function fixed(value: number | string | undefined): string {
	return typeof value === 'number' ? value.toFixed(2) : String(value);
}
