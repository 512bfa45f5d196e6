// A field's name from what the line calls it: snake_case, unique, never a name the CSV or
// the exporter has already (a field called `device` would be serialwatch_device_status).
import {fieldNamePattern} from '../device-config.js';
import {
	fieldMetric,
	isOwnMetricName,
	statusMetricName,
} from '../metric-names.js';

const reservedNames = new Set(['timestamp', 'raw_line']);
const maxNameLength = 64;

/** `Heat index` -> heat_index, `tempC` -> temp_c, `env.t` -> env_t; undefined if no letter is left. */
export function snakeName(label: string): string | undefined {
	const name = label
		.replaceAll(/([a-z\d])([A-Z])/g, '$1_$2')
		.toLowerCase()
		.replaceAll(/[^a-z\d]+/g, '_')
		.replaceAll(/^_+|_+$/g, '')
		.slice(0, maxNameLength - 4);
	if (name === '') {
		return undefined;
	}

	return /^[a-z]/.test(name) ? name : `f_${name}`;
}

export type NameRequest = {
	/** What the line calls it, or undefined: `field<n>` (its place, 1-based). */
	readonly label: string | undefined;
	readonly unit: string;
	readonly type: 'number' | 'status';
};

/** One name per request, in order: each valid, unique, with a metric of its own. */
export function fieldNames(requests: readonly NameRequest[]): string[] {
	const taken = new Set<string>();
	const metrics = new Set<string>();
	return requests.map((request, index) => {
		const base =
			(request.label === undefined ? undefined : snakeName(request.label)) ??
			`field${index + 1}`;
		for (let attempt = 1; ; attempt++) {
			const name =
				attempt === 1
					? reservedNames.has(base)
						? `${base}_value`
						: base
					: `${base}_${attempt}`;
			const metric =
				request.type === 'status'
					? statusMetricName({name})
					: fieldMetric({name, unit: request.unit, metric: undefined}).name;
			if (
				fieldNamePattern.test(name) &&
				!reservedNames.has(name) &&
				!taken.has(name) &&
				!metrics.has(metric) &&
				!isOwnMetricName(metric)
			) {
				taken.add(name);
				metrics.add(metric);
				return name;
			}
		}
	});
}
