import test from 'ava';
import {createFramePacer} from '../../source/app/frame-pacer.js';
import {createDashboardStore} from '../../source/app/dashboard-store.js';
import {feedLines, startedAt} from '../helpers/monitor-snapshot.js';

/** A pacer on a hand-moved clock, its timers run by `advance`. */
function setup(options: {maxFps?: number; cpuShare?: number} = {}) {
	let now = 0;
	let cpu = 0;
	let timers: Array<{at: number; run: () => void}> = [];
	const pacer = createFramePacer({
		maxFps: options.maxFps ?? 10,
		cpuShare: options.cpuShare ?? 0.05,
		maxGapMs: 1000,
		now: () => now,
		cpuTime: () => cpu,
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
		/** The process uses `ms` of CPU (and as much wall time). */
		spend(ms: number) {
			now += ms;
			cpu += ms;
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

test('the CPU used since the last frame, over the share of a core, spaces the next', (t) => {
	const {pacer, frames, draw, advance, spend} = setup({cpuShare: 0.05});
	pacer.request(draw);
	spend(10); // 10 ms of CPU to draw at a 5% share: 200 ms to the frame after next.
	advance(90);
	pacer.request(draw); // At 100 ms: the gap so far is 1000 / max_fps.
	t.deepEqual(frames, [0, 100]);
	advance(10);
	pacer.request(draw);
	advance(189);
	t.deepEqual(frames, [0, 100]);
	advance(1);
	t.deepEqual(frames, [0, 100, 300]);
});

test('drawing at a steady rate settles where the process uses its share of a core', (t) => {
	const {pacer, frames, advance, spend} = setup({cpuShare: 0.04, maxFps: 10});
	// 8 ms of CPU a frame, and 1 ms every 100 ms taking snapshots in (1%): 8 / (4% - 1%).
	const draw = () => {
		frames.push(0);
		spend(8);
	};

	for (let tick = 0; tick < 600; tick++) {
		spend(1);
		pacer.request(draw);
		advance(99);
	}

	const perSecond = frames.length / 60;
	t.true(perSecond > 3.3 && perSecond < 4, `${perSecond} frames a second`);
});

test('what a key did waits for 1000 / max_fps only, not for the gap the CPU share sets', (t) => {
	const {pacer, frames, draw, advance, spend} = setup({cpuShare: 0.01});
	pacer.request(draw);
	spend(5); // A 500 ms gap for the next snapshot.
	advance(5);
	pacer.request(draw);
	advance(50);
	pacer.request(draw, true);
	advance(49);
	t.deepEqual(frames, [0, 100]);
	pacer.request(draw, true); // Right after a frame: the next at 1000 / max_fps.
	advance(90);
	t.deepEqual(frames, [0, 100]);
	advance(1);
	t.deepEqual(frames, [0, 100, 200]);
});

test('readyIn() tells how long until a change may be drawn: what the collector waits before its next snapshot', (t) => {
	const {pacer, draw, advance, spend} = setup({cpuShare: 0.05});
	t.is(pacer.readyIn(), 0, 'nothing drawn yet: at once');
	pacer.request(draw);
	spend(10);
	advance(90);
	pacer.request(draw); // Drawn at 100 ms; 10 ms of CPU at 5%: the next at 300 ms.
	t.is(pacer.readyIn(), 200);
	advance(150);
	t.is(pacer.readyIn(), 50);
	advance(100);
	t.is(pacer.readyIn(), 0);
});

test('the gap never exceeds a second, so the clock on screen still moves', (t) => {
	const {pacer, frames, draw, advance, spend} = setup({cpuShare: 0.01});
	pacer.request(draw);
	spend(100);
	pacer.request(draw);
	pacer.request(draw);
	advance(2000);
	pacer.request(draw);
	advance(2000);
	t.deepEqual(frames, [0, 100, 1100, 2100]);
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
	store.receive(first.state.snapshot(first.time + 10));
	store.receive(first.state.snapshot(first.time + 20));
	t.is(notified, 1);
	advance(100);
	t.is(notified, 2);
	t.is(store.getSnapshot().shown?.startedAt, startedAt);
	// A key's change comes 1000 / max_fps after the last frame, not later.
	store.receive(first.state.snapshot(first.time + 30));
	store.toggleHelp();
	advance(99);
	t.is(notified, 2);
	advance(1);
	t.is(notified, 3);
	store.togglePause(first.time);
	store.close();
	advance(1000);
	t.is(notified, 3);
});
