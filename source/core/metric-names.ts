// A declared field's Prometheus name: `serialwatch_<name>_<unit>`, in the base unit the
// naming guide asks for (https://prometheus.io/docs/practices/naming/#base-units). A unit
// that is a power-of-ten multiple of a base unit is scaled to it (hPa -> pascals, mV ->
// volts), so queries across devices compare like with like. Two are kept as declared:
// `%` is `_percent`, not a 0..1 `_ratio`, because a percentage such as relative humidity is
// how the config's rules, the CSV, the screen and InfluxDB all state it, and an alert rule
// written against /metrics should use the same numbers (promtool accepts `_percent`); and a
// unit with no base unit (ppm, °F, m/s) gets no suffix, its HELP text naming it.

/** The run's own metrics (app/run-metrics.ts), which no field's may take. */
export const ownMetricNames: ReadonlySet<string> = new Set([
	'serialwatch_lines_total',
	'serialwatch_parse_errors_total',
	'serialwatch_last_line_timestamp_seconds',
	'serialwatch_port_up',
	'serialwatch_device_status',
	'serialwatch_incidents_active',
	'serialwatch_incidents_total',
	'serialwatch_notifications_total',
	'serialwatch_notifications_failed_total',
	'serialwatch_build_info',
]);

/** prom-client's default metrics (process_cpu_seconds_total, nodejs_heap_size_used_bytes, ...). */
const processPrefixes = ['process_', 'nodejs_'];

/** Whether serialwatch or the process exports this name already. */
export function isOwnMetricName(name: string): boolean {
	return (
		ownMetricNames.has(name) ||
		processPrefixes.some((prefix) => name.startsWith(prefix))
	);
}

/** A declared status field's level gauge (the built-in device has only device_status). */
export function statusMetricName(field: {name: string}): string {
	return `serialwatch_${field.name}_status`;
}

type MetricUnit = {suffix: string; exponent: number};

const units: Record<string, MetricUnit> = {
	'°C': {suffix: 'celsius', exponent: 0},
	'℃': {suffix: 'celsius', exponent: 0},
	C: {suffix: 'celsius', exponent: 0},
	degC: {suffix: 'celsius', exponent: 0},
	V: {suffix: 'volts', exponent: 0},
	mV: {suffix: 'volts', exponent: -3},
	A: {suffix: 'amperes', exponent: 0},
	mA: {suffix: 'amperes', exponent: -3},
	W: {suffix: 'watts', exponent: 0},
	mW: {suffix: 'watts', exponent: -3},
	kW: {suffix: 'watts', exponent: 3},
	Pa: {suffix: 'pascals', exponent: 0},
	hPa: {suffix: 'pascals', exponent: 2},
	kPa: {suffix: 'pascals', exponent: 3},
	mbar: {suffix: 'pascals', exponent: 2},
	m: {suffix: 'meters', exponent: 0},
	cm: {suffix: 'meters', exponent: -2},
	mm: {suffix: 'meters', exponent: -3},
	km: {suffix: 'meters', exponent: 3},
	s: {suffix: 'seconds', exponent: 0},
	ms: {suffix: 'seconds', exponent: -3},
	g: {suffix: 'grams', exponent: 0},
	kg: {suffix: 'grams', exponent: 3},
	J: {suffix: 'joules', exponent: 0},
	Hz: {suffix: 'hertz', exponent: 0},
	lx: {suffix: 'lux', exponent: 0},
	'%': {suffix: 'percent', exponent: 0},
};

export type FieldMetric = {
	name: string;
	/** Applied to a value before it is exported: the unit's power of ten. */
	scale: (value: number) => number;
	/** The declared unit, when the name does not carry it: for the HELP text. */
	unstatedUnit: string | undefined;
};

export function fieldMetric(field: {
	name: string;
	unit: string;
	metric: string | undefined;
}): FieldMetric {
	const stated = field.unit === '' ? undefined : field.unit;
	if (field.metric !== undefined) {
		// The declaration's own name: its value as the device sends it.
		return {name: field.metric, scale: (value) => value, unstatedUnit: stated};
	}

	const unit = Object.hasOwn(units, field.unit.trim())
		? units[field.unit.trim()]
		: undefined;
	if (!unit) {
		return {
			name: `serialwatch_${field.name}`,
			scale: (value) => value,
			unstatedUnit: stated,
		};
	}

	const name = `serialwatch_${field.name}_${unit.suffix}`;
	if (unit.exponent === 0) {
		return {name, scale: (value) => value, unstatedUnit: undefined};
	}

	// Twelve significant digits, more than a serial device sends, and none of the binary
	// noise of the product: 1013.2 hPa is 101320 Pa, not 101320.00000000001.
	const factor = 10 ** unit.exponent;
	return {
		name,
		scale: (value) => Number((value * factor).toPrecision(12)),
		unstatedUnit: undefined,
	};
}
