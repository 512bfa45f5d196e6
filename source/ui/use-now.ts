// The wall clock, for ages and durations: read at each render (so a snapshot that just
// arrived is not aged against an older second), and rendered again once `intervalMs` has
// passed without a render, while not frozen. Snapshots arrive at least every second while
// the collector runs, so this timer only draws when they stop: a timer of its own would
// add a frame to the ones they bring.
import {useEffect, useState} from 'react';

/** Calls back once after `ms`; returns a cancel. Tests pass timers that move when told. */
export type After = (ms: number, callback: () => void) => () => void;

const realAfter: After = (ms, callback) => {
	const timer = setTimeout(callback, ms);
	return () => {
		clearTimeout(timer);
	};
};

export function useNow(
	intervalMs: number,
	frozenAt: number | undefined,
	clock: () => number,
	after: After = realAfter,
): number {
	const [, setTick] = useState(0);
	// No dependency list: every render starts the wait again.
	useEffect(() => {
		if (frozenAt !== undefined) {
			return;
		}

		return after(intervalMs, () => {
			setTick((tick) => tick + 1);
		});
	});
	return frozenAt ?? clock();
}
