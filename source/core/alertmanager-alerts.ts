// The alerts serialwatch holds for Alertmanager, kept as Prometheus keeps them: an alert is
// sent again and again while it fires, with endsAt a few resend intervals ahead (so that
// Alertmanager resolves it by itself if serialwatch dies), and, once resolved, with its end
// for a few more minutes (so that a resolution lost on the way is repeated).
import {sinkTakes} from './alert-payloads.js';
import type {IncidentEvent, ReportEntry} from './incident.js';

export type HeldAlert = {
	entry: ReportEntry;
	/** Local clock (ms) when it resolved; undefined while it fires. */
	resolvedAt: number | undefined;
};

/** Alertmanager's API v2 `postableAlert`. */
export type PostableAlert = {
	labels: Record<string, string>;
	annotations: Record<string, string>;
	startsAt: string;
	endsAt: string;
	generatorURL?: string;
};

/** How long a resolved alert is sent again; Prometheus keeps 15 minutes, a few will do. */
export const resolvedKeepMs = 5 * 60_000;

/** Firing alerts say they end this many resend intervals ahead, as Prometheus does. */
export const firingLeadIntervals = 4;

/** Which incidents a sink takes: its min_severity and rules. */
export type SinkFilter = Parameters<typeof sinkTakes>[0];

/** Takes the events in; true when anything the sink takes changed. */
export function applyEvents(
	held: Map<string, HeldAlert>,
	events: readonly IncidentEvent[],
	filter: SinkFilter,
	now: number,
): boolean {
	let changed = false;
	for (const {event, at, incident} of events) {
		if (sinkTakes(filter, incident)) {
			// Severity is a label, so a worsened incident is a new alert to Alertmanager:
			// the one it replaces is resolved now, or it would fire on until it expires.
			const before = held.get(incident.id);
			if (before && before.entry.severity !== incident.severity) {
				held.set(`${incident.id} ${before.entry.severity}`, {
					entry: {...before.entry, end: at},
					resolvedAt: now,
				});
			}

			held.set(incident.id, {
				entry: incident,
				resolvedAt: event === 'resolved' ? now : undefined,
			});
			changed = true;
		}
	}

	return changed;
}

/**
 * Lets go of resolved alerts past resolvedKeepMs, then of the oldest alerts while more
 * than `max` are held (resolved ones first: a firing alert matters more). Returns how many
 * it dropped for want of room.
 */
export function pruneAlerts(
	held: Map<string, HeldAlert>,
	now: number,
	max: number,
): number {
	for (const [id, alert] of held) {
		if (
			alert.resolvedAt !== undefined &&
			now - alert.resolvedAt > resolvedKeepMs
		) {
			held.delete(id);
		}
	}

	const excess = held.size - max;
	if (excess <= 0) {
		return 0;
	}

	const byAge = [...held].toSorted(
		([, a], [, b]) =>
			Number(a.resolvedAt === undefined) - Number(b.resolvedAt === undefined) ||
			Date.parse(a.entry.timestamp) - Date.parse(b.entry.timestamp),
	);
	for (const [id] of byAge.slice(0, excess)) {
		held.delete(id);
	}

	return excess;
}

export function postableAlert(
	{entry, resolvedAt}: HeldAlert,
	options: {
		identity: {port: string; device: string};
		/** The field the alert is about, a `field` label; undefined: the whole device, no label. */
		field: string | undefined;
		now: number;
		resendIntervalMs: number;
		generatorURL: string | undefined;
	},
): PostableAlert {
	const annotations: Record<string, string> = {summary: entry.description};
	if (entry.peak !== null) {
		annotations['peak'] = String(entry.peak);
	}

	if (entry.threshold !== null) {
		annotations['threshold'] = String(entry.threshold);
	}

	if (entry.first_line !== null) {
		annotations['raw_lines'] =
			`${entry.first_line}-${entry.last_line ?? entry.first_line}`;
	}

	const startsAt = entry.timestamp;
	const endsAt =
		resolvedAt === undefined
			? new Date(
					options.now + firingLeadIntervals * options.resendIntervalMs,
				).toISOString()
			: (entry.end ?? new Date(resolvedAt).toISOString());
	return {
		labels: {
			alertname: entry.type,
			severity: entry.severity.toLowerCase(),
			port: options.identity.port,
			device: options.identity.device,
			incident_id: entry.id,
			...(options.field === undefined ? {} : {field: options.field}),
		},
		annotations,
		startsAt,
		// Alertmanager refuses the whole list if one alert ends before it starts.
		endsAt: Date.parse(endsAt) < Date.parse(startsAt) ? startsAt : endsAt,
		...(options.generatorURL === undefined
			? {}
			: {generatorURL: options.generatorURL}),
	};
}
