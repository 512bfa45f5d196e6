// Percentiles by nearest rank: p99 of 500 samples is the 495th smallest, of 20 the largest.
export function percentile(values: readonly number[], p: number): number {
	if (values.length === 0) return Number.NaN;
	const sorted = values.toSorted((a, b) => a - b);
	const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
	return sorted[rank - 1]!;
}
