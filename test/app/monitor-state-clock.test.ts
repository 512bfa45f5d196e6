// The dashboard's numbers when the wall clock goes back or stands still: the rate, the
// uptime and the age of the last line stay finite and never negative on screen.
import test from 'ava';
import type {MonitorSnapshot} from '../../source/app/monitor-state.js';
import {formatDuration, formatUptime} from '../../source/ui/format.js';
import {feedLines, startedAt} from '../helpers/monitor-snapshot.js';

const normal = (temperature: number) =>
	`T:${temperature.toFixed(1)},V:5.0,S:NORMAL`;
const lines = Array.from({length: 40}, (_, index) => normal(20 + (index % 3)));

function numbersIn(snapshot: MonitorSnapshot): number[] {
	const numbers: number[] = [];
	JSON.stringify(snapshot, (_key, value: unknown) => {
		if (typeof value === 'number') {
			numbers.push(value);
		}

		return value;
	});
	return numbers;
}

for (const [what, stepMs] of [
	['a clock going back a second a line', -1000],
	['identical time stamps', 0],
] as const) {
	test(`${what}: every number in the snapshot finite, the rate not negative, no negative age or uptime shown`, (t) => {
		const {state, time} = feedLines(lines, {stepMs, demo: false});
		for (const now of [time, time - 3_600_000, startedAt, startedAt + 5000]) {
			const snapshot = state.snapshot(now);
			t.deepEqual(
				numbersIn(snapshot).filter((value) => !Number.isFinite(value)),
				[],
			);
			t.true(snapshot.rate >= 0, `rate ${snapshot.rate}`);
			t.notRegex(formatDuration(now - snapshot.lastLineAt!), /-|NaN/);
			t.notRegex(formatUptime(now - snapshot.startedAt), /-|NaN/);
		}
	});
}
