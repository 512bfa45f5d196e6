// InfluxDB line protocol (1.x and 2.x read the same text):
// `measurement,tag=v,tag=v field=1,field="text" <time>`. Commas, spaces and equals signs in
// names and tag values are escaped with a backslash; string fields escape `"` and `\`.
// Line protocol has no way to write a newline in a tag or a field, so one becomes a space.
import type {IncidentEvent} from './incident.js';
import type {DeviceProfile, Reading} from './device-profile.js';

export type FieldValue = number | string | {integer: number};

const newlines = /[\r\n]/g;
// Any character some escape touches, in a name or tag value or in a string field.
const needsEscape = /[\r\n\\ ,="]/;

/**
 * A backslash that ends the text or comes before an escaped character would escape what
 * follows it: it is doubled (InfluxDB 1.x then keeps both, a rare cost; the point stays whole).
 */
function escapeWith(text: string, special: RegExp): string {
	// Names and tag values are nearly always plain: three regex passes per name per point
	// were most of the writer's cost.
	if (!needsEscape.test(text)) {
		return text;
	}

	return text
		.replaceAll(newlines, ' ')
		.replaceAll(/\\(?=$|[ ,=\\])/g, '\\\\')
		.replace(special, String.raw`\$&`);
}

export function escapeMeasurement(name: string): string {
	return escapeWith(name, /[ ,]/g);
}

/** Tag keys, tag values and field keys. */
export function escapeKey(name: string): string {
	return escapeWith(name, /[ ,=]/g);
}

export function stringField(text: string): string {
	if (!needsEscape.test(text)) {
		return `"${text}"`;
	}

	return `"${text.replaceAll(newlines, ' ').replaceAll(/["\\]/g, String.raw`\$&`)}"`;
}

function fieldText(value: FieldValue): string | undefined {
	if (typeof value === 'string') {
		return stringField(value);
	}

	if (typeof value === 'number') {
		// NaN and the infinities have no line protocol form: the field is left out.
		return Number.isFinite(value) ? String(value) : undefined;
	}

	return Number.isSafeInteger(value.integer) ? `${value.integer}i` : undefined;
}

/**
 * One point, or undefined when no field has a value (a point needs one). Tags with an empty
 * value are left out, as line protocol has no empty tag value.
 */
export function point(
	measurement: string,
	tags: Record<string, string>,
	fields: Record<string, FieldValue | undefined | null>,
	timeMs: number,
): string | undefined {
	let head = escapeMeasurement(measurement);
	for (const [key, value] of Object.entries(tags)) {
		if (value !== '') {
			head += `,${escapeKey(key)}=${escapeKey(value)}`;
		}
	}

	const parts: string[] = [];
	for (const [key, value] of Object.entries(fields)) {
		const text =
			value === undefined || value === null ? undefined : fieldText(value);
		if (text !== undefined) {
			parts.push(`${escapeKey(key)}=${text}`);
		}
	}

	return parts.length === 0
		? undefined
		: `${head} ${parts.join(',')} ${Math.round(timeMs)}`;
}

export type SeriesTags = {port: string; device: string};

/**
 * A reading as one point of the `serialwatch` measurement: a field per declared field, by
 * its name (numbers as floats, a status as its text), in the profile's order; an optional
 * field the line did not hold is left out. A declared device's point adds the device's
 * level as `level` when it has a status field (and no field of its own is called so); the
 * built-in device's point is as it has always been: temperature, voltage, status.
 */
export function readingPoint(
	profile: DeviceProfile,
	tags: SeriesTags,
	timeMs: number,
	reading: Reading,
): string | undefined {
	const fields: Record<string, FieldValue | undefined> = {};
	for (const [index, field] of profile.fields.entries()) {
		fields[field.name] = reading.values[index];
	}

	if (
		!profile.builtin &&
		profile.fields.some((field) => field.type === 'status') &&
		!Object.hasOwn(fields, 'level')
	) {
		fields['level'] = reading.level;
	}

	return point(
		'serialwatch',
		{port: tags.port, device: tags.device},
		fields,
		timeMs,
	);
}

// A value or peak is a number for most rules and a status for DEVICE_STATUS: each kind has
// its own field, since InfluxDB refuses a field whose type changes within a shard.
function splitValue(
	name: string,
	value: number | string | null,
): Record<string, FieldValue | null> {
	return typeof value === 'string'
		? {[`${name}_text`]: value}
		: {[name]: value};
}

export function incidentPoint(
	tags: SeriesTags,
	{event, at, incident}: IncidentEvent,
): string | undefined {
	return point(
		'serialwatch_incident',
		{
			port: tags.port,
			device: tags.device,
			rule: incident.type,
			severity: incident.severity,
			event,
		},
		{
			id: incident.id,
			description: incident.description,
			started: incident.timestamp,
			...splitValue('value', incident.value),
			...splitValue('peak', incident.peak),
			threshold: incident.threshold,
			readings: {integer: incident.readings},
			first_line:
				incident.first_line === null ? null : {integer: incident.first_line},
			last_line:
				incident.last_line === null ? null : {integer: incident.last_line},
		},
		Date.parse(at),
	);
}
