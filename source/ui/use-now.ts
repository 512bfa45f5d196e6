// The wall clock, for ages and durations: re-renders every `intervalMs` while not frozen.
import {useEffect, useState} from 'react';

export function useNow(
	intervalMs: number,
	frozenAt: number | undefined,
	clock: () => number,
): number {
	const [now, setNow] = useState(clock);
	useEffect(() => {
		if (frozenAt !== undefined) {
			return;
		}

		const timer = setInterval(() => {
			setNow(clock());
		}, intervalMs);
		return () => {
			clearInterval(timer);
		};
	}, [intervalMs, frozenAt, clock]);
	return frozenAt ?? now;
}
