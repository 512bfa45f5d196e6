// PARSE_ERROR_RATE: more malformed lines than max_per_min within a minute. It starts at
// the line that passed the limit, counts every malformed line while open (its peak is the
// highest count), and resolves at the instant the count falls back to the limit, when the
// (limit+1)-th newest malformed line leaves the window.
import type {Incident, IncidentBasis} from '../incident.js';
import type {Rule, Timeline} from './rule.js';

export type ParseErrorRule = Rule & {
	error(time: number, line: number): void;
	retune(maxPerMin: number): void;
};

const minuteMs = 60_000;
// Bounds memory under a flood of garbage; the rate only needs max_per_min + 1 of them.
const maxErrorTimes = 100_000;

export function createParseErrorRule(
	initialMaxPerMin: number,
	timeline: Timeline,
): ParseErrorRule {
	let limit = initialMaxPerMin;
	let basis = basisOf(limit);
	let open: Incident | undefined;
	// Receive times of the malformed lines in the last minute: errorTimes[errorsFrom..].
	// Expired ones are skipped by moving errorsFrom, not by shift(), which copies the array
	// and made every line of a garbage flood cost O(window).
	const errorTimes: number[] = [];
	let errorsFrom = 0;

	// The rate falls back to the limit when the (limit+1)-th newest error leaves the window.
	const resolve = () => {
		const {latest, retunedAt} = timeline;
		const limitIndex = errorTimes.length - 1 - limit;
		const limitTime =
			limitIndex >= errorsFrom ? errorTimes[limitIndex] : undefined;
		// Without such an error the count is within the limit already, which an open incident
		// only meets after a retune raised the limit: it ends at the retune (never at -Infinity).
		const withinSince = Number.isFinite(retunedAt) ? retunedAt : latest;
		const fallsBackAt =
			limitTime === undefined
				? withinSince
				: Math.max(limitTime + minuteMs, retunedAt);
		if (open && latest >= fallsBackAt) {
			open.end = fallsBackAt;
			timeline.emit('resolved', open, latest);
			open = undefined;
		}
	};

	return {
		type: 'PARSE_ERROR_RATE',
		get open() {
			return open;
		},
		tick() {
			if (open) {
				resolve();
			}
		},
		error(time, line) {
			errorTimes.push(time);
			while (
				errorTimes.length - errorsFrom > maxErrorTimes ||
				errorTimes[errorsFrom]! <= time - minuteMs
			) {
				errorsFrom++;
			}

			if (errorsFrom > 4096 && errorsFrom * 2 > errorTimes.length) {
				errorTimes.splice(0, errorsFrom);
				errorsFrom = 0;
			}

			const count = errorTimes.length - errorsFrom;
			if (open) {
				open.readings++;
				open.lastLine = line;
				// The peak is kept, not announced: its severity cannot rise (as for every rule).
				open.peak = Math.max(count, Number(open.peak));
			} else if (count > limit) {
				open = {
					type: 'PARSE_ERROR_RATE',
					severity: 'WARNING',
					start: time,
					end: undefined,
					value: count,
					peak: count,
					threshold: limit,
					readings: 1,
					firstLine: line,
					lastLine: line,
					basis,
				};
				timeline.emit('fired', open, time);
			}
		},
		close(time) {
			if (open) {
				open.end = time;
				timeline.emit('resolved', open, timeline.latest);
				open = undefined;
			}
		},
		// A new limit applies from the next malformed line (which may fire) and the next tick
		// (which may resolve); an open incident keeps describing the limit it fired against.
		retune(next) {
			limit = next;
			basis = basisOf(limit);
		},
		save: () => ({open, errorTimes: errorTimes.slice(errorsFrom)}),
		load(state) {
			open = state.open;
			errorTimes.length = 0;
			errorsFrom = 0;
			// One at a time: a window of a hundred thousand is too many arguments for push(...).
			for (const time of state.errorTimes ?? []) {
				errorTimes.push(time);
			}
		},
	};
}

function basisOf(maxPerMin: number): IncidentBasis {
	return {
		rule: {kind: 'parse_errors', max_per_min: maxPerMin},
		field: undefined,
	};
}
