// A rule's field, resolved once when the rule is made or retuned: the index of its value
// in a reading, and what its descriptions need.
import type {
	DeviceProfile,
	Field,
	NumberField,
	StatusField,
} from '../device-profile.js';
import type {FieldMeta} from '../incident.js';
import type {Observation} from '../incident-tracker.js';

export function resolveField(
	profile: DeviceProfile,
	name: string,
): {index: number; field: Field} {
	const index = profile.fields.findIndex((field) => field.name === name);
	if (index === -1) {
		throw new Error(
			`A rule watches the field '${name}', which the device does not have`,
		);
	}

	return {index, field: profile.fields[index]!};
}

export function resolveNumberField(
	profile: DeviceProfile,
	name: string,
): {index: number; field: NumberField} {
	const {index, field} = resolveField(profile, name);
	if (field.type !== 'number') {
		throw new Error(
			`A rule compares the field '${name}', which is not a number`,
		);
	}

	return {index, field};
}

export function resolveStatusField(
	profile: DeviceProfile,
	name: string,
): {index: number; field: StatusField; several: boolean} {
	const {index, field} = resolveField(profile, name);
	if (field.type !== 'status') {
		throw new Error(
			`A status rule watches the field '${name}', which is not a status`,
		);
	}

	const statuses = profile.fields.filter(({type}) => type === 'status').length;
	return {index, field, several: statuses > 1};
}

export function numberMeta(field: NumberField): FieldMeta {
	return {label: field.label, unit: field.unit, decimals: field.decimals};
}

/** Descriptions name a status field only when the device has several. */
export function statusMeta(
	field: StatusField,
	several: boolean,
): FieldMeta | undefined {
	return several ? {label: field.label, unit: '', decimals: 0} : undefined;
}

export function emptyObservation(): Observation {
	return {severity: 'WARNING', threshold: undefined, value: 0, magnitude: 0};
}

/** Fills a rule's one observation in place: an object per reading was most of the detector's garbage. */
// eslint-disable-next-line max-params -- one per field: an options object would be the garbage this avoids
export function fill(
	observation: Observation,
	severity: Observation['severity'],
	threshold: number | undefined,
	value: number | string,
	magnitude: number,
): Observation {
	observation.severity = severity;
	observation.threshold = threshold;
	observation.value = value;
	observation.magnitude = magnitude;
	return observation;
}
