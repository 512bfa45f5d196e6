// "Did you mean ...?" for a mistyped command or flag. The distance counts a swap of two
// neighbouring letters as one edit (optimal string alignment), since `emualte` and
// `--prot` are the typos people make; plain Levenshtein would count two.

/** Edits (insert, delete, substitute, swap neighbours) that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
	// rows[i][j]: the distance between the first i letters of a and the first j of b.
	const rows: number[][] = Array.from({length: a.length + 1}, (_, i) =>
		Array.from({length: b.length + 1}, (_, j) =>
			i === 0 ? j : j === 0 ? i : 0,
		),
	);
	for (let i = 1; i <= a.length; i++) {
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			let best = Math.min(
				rows[i - 1]![j]! + 1,
				rows[i]![j - 1]! + 1,
				rows[i - 1]![j - 1]! + cost,
			);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
				best = Math.min(best, rows[i - 2]![j - 2]! + 1);
			}

			rows[i]![j] = best;
		}
	}

	return rows[a.length]![b.length]!;
}

/**
 * The candidate nearest to `input`, if it is near enough to be a typo of it: at most one
 * edit in three letters (and always one). Ties go to the earlier candidate.
 */
export function closestMatch(
	input: string,
	candidates: readonly string[],
): string | undefined {
	const allowed = Math.max(1, Math.floor(input.length / 3));
	let best: {candidate: string; distance: number} | undefined;
	for (const candidate of candidates) {
		const distance = editDistance(input, candidate);
		if (
			distance <= allowed &&
			(best === undefined || distance < best.distance)
		) {
			best = {candidate, distance};
		}
	}

	return best?.candidate;
}
