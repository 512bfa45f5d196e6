// Whether a device's regex may run on every line it sends: valid, and free of the nested
// unbounded repetition (`(a+)+`, `(\d*,?)*`) whose backtracking grows exponentially with
// the line's length. A line must never stall the logging, so such a pattern is refused at
// load rather than timed at run time. This is the star-height test of safe-regex: it
// refuses some safe patterns, and overlapping alternatives (`(a|a)*`) pass it.

/** Why the pattern is refused, or undefined. */
export function patternProblem(pattern: string): string | undefined {
	try {
		// eslint-disable-next-line no-new -- compiled only to learn whether it compiles
		new RegExp(pattern, 'u');
	} catch (error) {
		return `not a valid regular expression: ${error instanceof Error ? error.message : String(error)}`;
	}

	return nestedRepetition(pattern)
		? 'repeats a group that itself repeats without bound (as in (a+)+): such a pattern can take exponential time on one line; repeat the inner part a bounded number of times, or match it once'
		: undefined;
}

/** A group with an unbounded quantifier inside that is itself quantified without bound. */
function nestedRepetition(pattern: string): boolean {
	// For each open group: whether something inside it repeats without bound.
	const open: boolean[] = [];
	let inClass = false;
	for (let index = 0; index < pattern.length; index++) {
		const char = pattern[index] ?? '';
		if (char === '\\') {
			index++;
		} else if (inClass) {
			inClass = char !== ']';
			if (inClass) {
				continue;
			}
		} else if ('[(|'.includes(char)) {
			// None of these ends an atom that a quantifier could follow.
			inClass = char === '[';
			if (char === '(') {
				open.push(false);
			}

			continue;
		}

		const groupRepeats = char === ')' && (open.pop() ?? false);
		const unbounded = unboundedAt(pattern, index + 1);
		if (unbounded && groupRepeats) {
			return true;
		}

		if ((unbounded || groupRepeats) && open.length > 0) {
			open[open.length - 1] = true;
		}
	}

	return false;
}

/** Whether an unbounded quantifier (`*`, `+`, `{n,}`) starts at index. */
function unboundedAt(pattern: string, index: number): boolean {
	const char = pattern[index];
	if (char === '*' || char === '+') {
		return true;
	}

	return char === '{' && /^{\d+,}/.test(pattern.slice(index));
}
