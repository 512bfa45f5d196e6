// What each alert sink is sent for an incident event, as plain data: PagerDuty's Events
// API v2, a Slack incoming webhook's message, and the generic webhook's JSON (the headless
// JSON line plus the run's labels). No I/O here; the sink posts what these build.
import type {AlertSinkConfig} from './config.js';
import type {IncidentEvent, ReportEntry, Severity} from './incident.js';

export type RunLabels = {port: string; device: string};

/**
 * The field an incident type is about (`humidity` for THRESHOLD_BREACH_HUMIDITY), from the
 * rules in effect; undefined for the device-wide ones (HEARTBEAT_LOSS, PARSE_ERROR_RATE).
 */
export type FieldOfType = (type: string) => string | undefined;

const severityRank: Record<Severity, number> = {WARNING: 1, CRITICAL: 2};

/** Whether a sink takes this incident: its rule listed (or all) and severe enough. */
export function sinkTakes(
	sink: Pick<AlertSinkConfig, 'min_severity' | 'rules'>,
	entry: ReportEntry,
): boolean {
	return (
		severityRank[entry.severity] >= severityRank[sink.min_severity] &&
		(sink.rules === null || sink.rules.includes(entry.type))
	);
}

/** raw.log lines of the evidence, "120-135" (or "120" for one line), if known. */
export function rawLines(entry: ReportEntry): string | undefined {
	const {first_line: first, last_line: last} = entry;
	if (first === null) {
		return undefined;
	}

	return last === null || last === first ? String(first) : `${first}-${last}`;
}

// PagerDuty refuses a summary longer than this.
const pagerDutySummaryMax = 1024;

export type PagerDutyEvent = {
	routing_key: string;
	event_action: 'trigger' | 'resolve';
	dedup_key: string;
	client?: string;
	payload?: {
		summary: string;
		source: string;
		severity: 'critical' | 'warning';
		timestamp: string;
		component: string;
		group: string;
		class: string;
		/** The report entry, and the field it is about (null: the whole device). */
		custom_details: ReportEntry & {field: string | null};
	};
};

/**
 * A trigger for a fired or worsened incident, a resolve for a resolved one, both keyed by
 * the incident id so PagerDuty keeps one alert per incident. `host` is the machine the
 * run is on: with the port it is the event's source. `field`: what the incident is about.
 */
export function pagerDutyEvent(
	event: IncidentEvent,
	routingKey: string,
	labels: RunLabels,
	{host, field}: {host: string; field: string | undefined},
): PagerDutyEvent {
	const entry = event.incident;
	if (event.event === 'resolved') {
		return {
			routing_key: routingKey,
			event_action: 'resolve',
			dedup_key: entry.id,
		};
	}

	return {
		routing_key: routingKey,
		event_action: 'trigger',
		dedup_key: entry.id,
		client: 'serialwatch',
		payload: {
			summary: clip(
				`${entry.type} on ${labels.device}: ${entry.description}`,
				pagerDutySummaryMax,
			),
			source: `${host}:${labels.port}`,
			severity: entry.severity === 'CRITICAL' ? 'critical' : 'warning',
			timestamp: event.at,
			component: labels.device,
			group: labels.port,
			class: entry.type,
			custom_details: {...entry, field: field ?? null},
		},
	};
}

/** One line: what happened, on which field of which device, and where in raw.log to look. */
export function slackMessage(
	event: IncidentEvent,
	labels: RunLabels,
	field: string | undefined,
): {text: string} {
	const entry = event.incident;
	const lines = rawLines(entry);
	const text = [
		`[${event.event}] ${entry.severity} ${entry.type}${field === undefined ? '' : ` (${field})`} on ${labels.device} (${labels.port}): ${entry.description}`,
		lines === undefined
			? ''
			: ` (raw.log ${lines.includes('-') ? 'lines' : 'line'} ${lines})`,
	].join('');
	// Slack reads &, < and > as markup (links, mentions): escaped as its docs ask.
	return {
		text: text
			.replaceAll('&', '&amp;')
			.replaceAll('<', '&lt;')
			.replaceAll('>', '&gt;')
			.replaceAll(/[\r\n]+/g, ' '),
	};
}

/**
 * The headless JSON line (`event`, `at`, the report entry) with the run's labels and the
 * field the incident is about (null: the whole device).
 */
export function webhookBody(
	event: IncidentEvent,
	labels: RunLabels,
	field: string | undefined,
): Record<string, unknown> {
	return {
		event: event.event,
		at: event.at,
		...event.incident,
		port: labels.port,
		device: labels.device,
		field: field ?? null,
	};
}

function clip(text: string, max: number): string {
	return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
