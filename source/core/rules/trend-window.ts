// The readings of a field within the last window, and the least-squares line through them
// (as Prometheus's predict_linear): running sums, so that a reading costs the same whatever
// the window holds. Times are kept relative to an origin inside the window, which moves up
// whenever the sums are rebuilt, so the sums of squares never grow with the run's length.
// It holds at most about maxReadings readings however long the window and fast the device
// (a day's window at 10 lines/s was 864,000 of them, in memory and in every checkpoint): a
// reading closer to the last one kept than the window's length / maxReadings is left out of
// the line, so the readings kept are spread evenly over the window at any rate.

export type TrendLine = {
	/** The line's value at `at`. */
	readonly fitted: number;
	/** Its slope, per second. */
	readonly slope: number;
	/** How many readings it went through, and the seconds between the first and the last. */
	readonly count: number;
	readonly spanS: number;
};

/** The most readings a window keeps (one more at a boundary). */
export const maxWindowReadings = 4096;

export type TrendWindow = {
	readonly count: number;
	/** A reading, kept unless it is closer to the last kept than windowMs / maxWindowReadings. */
	add(time: number, value: number, windowMs: number): void;
	/** Drop the readings older than `windowMs` before `now` (a reading at now - windowMs stays). */
	prune(now: number, windowMs: number): void;
	clear(): void;
	/** The line through the readings, valued at `at`; undefined with fewer than two times. */
	line(at: number): TrendLine | undefined;
	save(): {times: number[]; values: number[]};
	load(saved: {times: number[]; values: number[]}): void;
};

export function createTrendWindow(): TrendWindow {
	let times: number[] = [];
	let values: number[] = [];
	// The readings in the window are times[start..]: dropping from the front only moves start.
	let start = 0;
	let origin = 0;
	let sumT = 0;
	let sumV = 0;
	let sumTT = 0;
	let sumTV = 0;
	let dropped = 0;

	const rebuild = () => {
		times = times.slice(start);
		values = values.slice(start);
		start = 0;
		dropped = 0;
		origin = times[0] ?? 0;
		sumT = 0;
		sumV = 0;
		sumTT = 0;
		sumTV = 0;
		for (const [index, time] of times.entries()) {
			const t = (time - origin) / 1000;
			const v = values[index]!;
			sumT += t;
			sumV += v;
			sumTT += t * t;
			sumTV += t * v;
		}
	};

	return {
		get count() {
			return times.length - start;
		},
		add(time, value, windowMs) {
			if (times.length === start) {
				times = [];
				values = [];
				start = 0;
				origin = time;
			} else if (time - times.at(-1)! < windowMs / maxWindowReadings) {
				return;
			}

			times.push(time);
			values.push(value);
			const t = (time - origin) / 1000;
			sumT += t;
			sumV += value;
			sumTT += t * t;
			sumTV += t * value;
		},
		prune(now, windowMs) {
			while (start < times.length && times[start]! < now - windowMs) {
				const t = (times[start]! - origin) / 1000;
				const v = values[start]!;
				sumT -= t;
				sumV -= v;
				sumTT -= t * t;
				sumTV -= t * v;
				start++;
				dropped++;
			}

			// Subtraction accumulates rounding: rebuild once as many have left as remain.
			if (dropped > 0 && dropped >= times.length - start) {
				rebuild();
			}
		},
		clear() {
			times = [];
			values = [];
			start = 0;
			dropped = 0;
			sumT = 0;
			sumV = 0;
			sumTT = 0;
			sumTV = 0;
		},
		line(at) {
			const n = times.length - start;
			if (n < 2) {
				return undefined;
			}

			const spanS = (times.at(-1)! - times[start]!) / 1000;
			const meanT = sumT / n;
			const meanV = sumV / n;
			const varT = sumTT / n - meanT * meanT;
			// All at one instant, or as good as: no slope to draw.
			if (!(spanS > 0) || !(varT > 1e-9 * spanS * spanS)) {
				return undefined;
			}

			const slope = (sumTV / n - meanT * meanV) / varT;
			return {
				fitted: meanV + slope * ((at - origin) / 1000 - meanT),
				slope,
				count: n,
				spanS,
			};
		},
		save: () => ({times: times.slice(start), values: values.slice(start)}),
		load(saved) {
			times = [...saved.times];
			values = [...saved.values];
			start = 0;
			rebuild();
		},
	};
}
