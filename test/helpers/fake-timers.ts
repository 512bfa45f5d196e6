// A clock and timers that move only when a test says so, for code that takes a Timers
// (now() and after()): waits of minutes pass in no time, in a known order.
import {setImmediate} from 'node:timers/promises';
import type {Timers} from '../../source/adapters/delivery-queue.js';

export type FakeTimers = Timers & {
	/** Moves the clock on by `ms`, firing each timer due on the way (and what it set off). */
	advance(ms: number): Promise<void>;
	/** Lets promises and callbacks already under way settle. */
	settle(): Promise<void>;
	pending(): number;
};

export function fakeTimers(start = 0): FakeTimers {
	let now = start;
	let next = 0;
	const due = new Map<number, {at: number; callback: () => void}>();
	const settle = async () => {
		for (let round = 0; round < 20; round++) {
			// eslint-disable-next-line no-await-in-loop
			await setImmediate();
		}
	};

	return {
		now: () => now,
		after(ms, callback) {
			const id = next++;
			due.set(id, {at: now + Math.max(0, ms), callback});
			return () => {
				due.delete(id);
			};
		},
		settle,
		pending: () => due.size,
		async advance(ms) {
			const until = now + ms;
			await settle();
			for (;;) {
				const first = [...due.entries()].toSorted(
					([, a], [, b]) => a.at - b.at,
				)[0];
				if (first === undefined || first[1].at > until) {
					break;
				}

				due.delete(first[0]);
				now = Math.max(now, first[1].at);
				first[1].callback();
				// eslint-disable-next-line no-await-in-loop
				await settle();
			}

			now = until;
			await settle();
		},
	};
}
