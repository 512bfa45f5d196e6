// Incident events as the detector hands them to the run's hooks, for the alert sinks'
// tests: one incident fired, worsened and resolved, keeping its id throughout.
import type {
	IncidentEvent,
	IncidentEventKind,
	ReportEntry,
} from '../../source/core/incident.js';

export function entry(overrides: Partial<ReportEntry> = {}): ReportEntry {
	return {
		timestamp: '2026-12-01T10:00:00.000Z',
		type: 'THRESHOLD_BREACH_TEMP',
		severity: 'WARNING',
		description: 'Temperature 86.0°C exceeded the 85°C warning threshold',
		id: 'THRESHOLD_BREACH_TEMP-9f3a2b1c4d5e6f70',
		end: null,
		value: 86,
		peak: 86,
		threshold: 85,
		readings: 1,
		first_line: 120,
		last_line: 120,
		...overrides,
	};
}

export function incidentEvent(
	event: IncidentEventKind,
	overrides: Partial<ReportEntry> = {},
	at = '2026-12-01T10:00:00.000Z',
): IncidentEvent {
	return {event, at, incident: entry(overrides)};
}

/** Fired as a warning, worsened to critical, resolved: the life of one incident. */
export function incidentLife(): IncidentEvent[] {
	return [
		incidentEvent('fired'),
		incidentEvent(
			'worsened',
			{severity: 'CRITICAL', peak: 96, readings: 5, last_line: 124},
			'2026-12-01T10:00:04.000Z',
		),
		incidentEvent(
			'resolved',
			{
				severity: 'CRITICAL',
				peak: 96,
				readings: 9,
				last_line: 128,
				end: '2026-12-01T10:00:08.000Z',
			},
			'2026-12-01T10:00:08.000Z',
		),
	];
}
