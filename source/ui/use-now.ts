// The wall clock, for ages and durations: read at each render (so a snapshot that just
// arrived is not aged against an older second), and rendered again once `intervalMs` has
// passed without a render, while not frozen. Snapshots arrive at least every second while
// the collector runs, so this timer only draws when they stop: a timer of its own would
// add a frame to the ones they bring.
import {useEffect, useState} from 'react';

export function useNow(
	intervalMs: number,
	frozenAt: number | undefined,
	clock: () => number,
): number {
	const [, setTick] = useState(0);
	// No dependency list: every render starts the wait again.
	useEffect(() => {
		if (frozenAt !== undefined) {
			return;
		}

		const timer = setTimeout(() => {
			setTick((tick) => tick + 1);
		}, intervalMs);
		return () => {
			clearTimeout(timer);
		};
	});
	return frozenAt ?? clock();
}
