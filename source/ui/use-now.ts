// The wall clock, for ages and durations: read at each render (so a snapshot that just
// arrived is not aged against an older second), and re-rendered every `intervalMs` while
// not frozen.
import {useEffect, useState} from 'react';

export function useNow(
	intervalMs: number,
	frozenAt: number | undefined,
	clock: () => number,
): number {
	const [, setTick] = useState(0);
	useEffect(() => {
		if (frozenAt !== undefined) {
			return;
		}

		const timer = setInterval(() => {
			setTick((tick) => tick + 1);
		}, intervalMs);
		return () => {
			clearInterval(timer);
		};
	}, [intervalMs, frozenAt]);
	return frozenAt ?? clock();
}
