import test from 'ava';
import {createFramePacer} from '../../source/app/frame-pacer.js';
import {createDashboardStore} from '../../source/app/dashboard-store.js';
import {feedLines, startedAt} from '../helpers/monitor-snapshot.js';

/** A pacer on a hand-moved clock, its timers run by `advance`. */
function setup(options: {maxFps?: number; drawShare?: number} = {}) {
	let now = 0;
	let timers: Array<{at: number; run: () => void}> = [];
	const pacer = createFramePacer({
		maxFps: options.maxFps ?? 10,
		drawShare: options.drawShare ?? 0.05,
		maxGapMs: 1000,
		now: () => now,
		schedule(run, ms) {
			const timer = {at: now + ms, run};
			timers.push(timer);
			return () => {
				timers = timers.filter((each) => each !== timer);
			};
		},
	});
	const frames: number[] = [];
	const draw = () => {
		frames.push(now);
	};

	return {
		pacer,
		frames,
		draw,
		advance(ms: number) {
			const until = now + ms;
			for (;;) {
				const due = timers
					.filter((timer) => timer.at <= until)
					.toSorted((a, b) => a.at - b.at)[0];
				if (!due) break;
				timers = timers.filter((timer) => timer !== due);
				now = due.at;
				due.run();
			}

			now = until;
		},
		spend(ms: number) {
			now += ms;
		},
	};
}

test('a change after a quiet spell is drawn at once', (t) => {
	const {pacer, frames, draw, advance} = setup();
	advance(5000);
	pacer.request(draw);
	t.deepEqual(frames, [5000]);
});

test('changes every 100 ms at max_fps 10 each get their own frame, not every other one', (t) => {
	const {pacer, frames, draw, advance} = setup();
	for (let index = 0; index < 10; index++) {
		pacer.request(draw);
		pacer.drawn();
		advance(100);
	}

	t.is(frames.length, 10);
});

test('changes faster than max_fps share frames, the last change drawn last', (t) => {
	const {pacer, frames, advance} = setup({maxFps: 10});
	const drawn: number[] = [];
	for (let index = 0; index < 100; index++) {
		pacer.request(() => {
			drawn.push(index);
			frames.push(index);
		});
		advance(10);
	}

	advance(200);
	// One second of changes: at most 10 frames plus the leading one, and the last change shown.
	t.true(frames.length <= 11, `${frames.length} frames`);
	t.is(drawn.at(-1), 99);
});

test('a costly frame spaces the next by its cost over the share of a core', (t) => {
	const {pacer, frames, draw, advance, spend} = setup({drawShare: 0.05});
	pacer.request(draw);
	spend(10); // 10 ms to draw at a 5% share: 200 ms to the next frame.
	pacer.drawn();
	advance(100);
	pacer.request(draw);
	t.deepEqual(frames, [0]);
	advance(99);
	t.deepEqual(frames, [0, 200]);
});

test('the gap never exceeds a second, so the clock on screen still moves', (t) => {
	const {pacer, frames, draw, advance, spend} = setup({drawShare: 0.01});
	pacer.request(draw);
	spend(100);
	pacer.drawn();
	pacer.request(draw);
	advance(2000);
	t.deepEqual(frames, [0, 1000]);
});

test('a frame drawn for another reason does not count as the cost of the paced one', (t) => {
	const {pacer, frames, draw, advance, spend} = setup();
	pacer.request(draw);
	pacer.drawn();
	spend(500);
	pacer.drawn(); // The clock's own frame, half a second later.
	advance(100);
	pacer.request(draw);
	t.deepEqual(frames, [0, 600]);
});

test('the store tells its listeners through the pacer, and close drops a waiting frame', (t) => {
	const {pacer, advance} = setup({maxFps: 10});
	const store = createDashboardStore(() => undefined, undefined, pacer);
	let notified = 0;
	store.subscribe(() => {
		notified++;
	});
	const first = feedLines(['T:30.0,V:5.0,S:NORMAL']);
	store.receive(first.state.snapshot(first.time));
	store.frameDrawn();
	store.receive(first.state.snapshot(first.time + 10));
	store.receive(first.state.snapshot(first.time + 20));
	t.is(notified, 1);
	advance(100);
	t.is(notified, 2);
	t.is(store.getSnapshot().shown?.startedAt, startedAt);
	store.frameDrawn();
	store.togglePause(first.time);
	store.close();
	advance(1000);
	t.is(notified, 2);
});
