// The physical range written for a field seen only for a while: wide enough that readings
// of the same quantity never fall out of it, narrow enough that a garbled digit or a lost
// decimal point does (23.5 read as 235).
//
// From the bulk of the values seen (all but the most extreme 1 % at each end), lo..hi is
// widened on each side by ten times its spread or three times the largest magnitude seen,
// whichever is more (at least 1), and rounded outwards to two significant digits: 23.0..23.5
// gives -48..95. A temperature's range takes in at least what common sensors measure
// (-55..125 °C, -67..257 °F); a percentage seen within 0..100 gets 0..100. Values beyond
// the range in at most 1 % of the lines are taken for damage (their lines do not match);
// more than that, and the range is widened from all the values instead.

export type RangeChoice = {
	readonly range: readonly [number, number];
	/** How the range was chosen, for the comment beside it. */
	readonly how: string;
};

const outlierShare = 0.01;
const sensorRanges: Record<string, readonly [number, number]> = {
	'°C': [-55, 125],
	'℃': [-55, 125],
	'°F': [-67, 257],
	'℉': [-67, 257],
};

export function physicalRange(
	values: readonly number[],
	unit: string,
): RangeChoice {
	const sorted = values.toSorted((a, b) => a - b);
	const cut = Math.floor(sorted.length * outlierShare);
	const bulk = sorted.slice(cut, sorted.length - cut);
	const widened = widen(bulk, unit);
	const outside = sorted.filter(
		(value) => value < widened.range[0] || value > widened.range[1],
	).length;
	return outside <= sorted.length * outlierShare
		? widened
		: widen(sorted, unit);
}

function widen(values: readonly number[], unit: string): RangeChoice {
	const lo = values[0] ?? 0;
	const hi = values.at(-1) ?? 0;
	if (unit.startsWith('%') && lo >= 0 && hi <= 100) {
		return {range: [0, 100], how: 'a percentage: 0..100'};
	}

	const pad = Math.max(10 * (hi - lo), 3 * Math.abs(lo), 3 * Math.abs(hi), 1);
	const sensor = sensorRanges[unit];
	const low = nice(
		Math.min(lo - pad, sensor?.[0] ?? Number.POSITIVE_INFINITY),
		'down',
	);
	const high = nice(
		Math.max(hi + pad, sensor?.[1] ?? Number.NEGATIVE_INFINITY),
		'up',
	);
	return {
		range: [low, high],
		how: `the values seen widened on each side by ten times their spread or three times their magnitude${sensor ? `, and at least what temperature sensors measure` : ''}`,
	};
}

/** Rounded outwards to two significant digits: -47.3 -> -48, 94.1 -> 95. */
function nice(value: number, direction: 'up' | 'down'): number {
	if (value === 0) {
		return 0;
	}

	const step = 10 ** (Math.floor(Math.log10(Math.abs(value))) - 1);
	const rounded =
		direction === 'up'
			? Math.ceil(value / step) * step
			: Math.floor(value / step) * step;
	return Number(rounded.toPrecision(2));
}
