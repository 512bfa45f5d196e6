import test from 'ava';
import {createDashboardStore} from '../../source/app/dashboard-store.js';
import type {ToCollector} from '../../source/app/collector-protocol.js';
import {feedLines} from '../helpers/monitor-snapshot.js';

const normal = (temperature: number) =>
	`T:${temperature.toFixed(1)},V:5.0,S:NORMAL`;

function setup() {
	const sent: ToCollector[] = [];
	const store = createDashboardStore((message) => {
		sent.push(message);
	});
	let notified = 0;
	store.subscribe(() => {
		notified++;
	});
	return {store, sent, notifications: () => notified};
}

test('the snapshot object changes only when something changed (useSyncExternalStore needs that)', (t) => {
	const {store, notifications} = setup();
	const before = store.getSnapshot();
	t.is(store.getSnapshot(), before);
	const {state, time} = feedLines([normal(30)]);
	store.receive(state.snapshot(time));
	t.not(store.getSnapshot(), before);
	t.is(notifications(), 1);
});

test('pause freezes what is shown and remembers the counts at the pause', (t) => {
	const {store} = setup();
	const first = feedLines([normal(30)]);
	store.receive(first.state.snapshot(first.time));
	store.togglePause(first.time + 5);
	const second = feedLines([normal(30), normal(31), normal(32)]);
	store.receive(second.state.snapshot(second.time));
	const view = store.getSnapshot();
	t.is(view.shown?.valid, 1);
	t.is(view.live?.valid, 3);
	t.deepEqual(view.paused, {at: first.time + 5, valid: 1, lines: 1});
	store.togglePause(second.time + 1);
	t.is(store.getSnapshot().shown?.valid, 3);
	t.is(store.getSnapshot().paused, undefined);
});

test('clear hides the resolved alerts there are now, not the ones that resolve later', (t) => {
	const {store} = setup();
	// A rapid change that resolves, then one that stays open.
	const lines = [normal(20), normal(40), normal(40), normal(60)];
	const {state, time} = feedLines(lines);
	store.receive(state.snapshot(time));
	t.is(store.getSnapshot().alerts.length, 2);
	store.clearResolved(time);
	t.deepEqual(
		store.getSnapshot().alerts.map((row) => row.end),
		[null],
	);
	const later = feedLines([...lines, normal(60)]);
	store.receive(later.state.snapshot(later.time));
	t.is(
		store.getSnapshot().alerts.length,
		1,
		'the one resolved after the clear stays listed',
	);
	t.not(store.getSnapshot().alerts[0]!.end, null);
});

test('scroll stays between the first row and the last full page', (t) => {
	const {store} = setup();
	const swings = Array.from({length: 40}, (_, index) =>
		normal(index % 4 < 2 ? 20 : 40),
	);
	const {state, time} = feedLines(swings);
	store.receive(state.snapshot(time));
	const total = store.getSnapshot().alerts.length;
	t.true(total > 10);
	store.scroll(-3, 5);
	t.is(store.getSnapshot().scroll, 0);
	store.scroll(100, 5);
	t.is(store.getSnapshot().scroll, total - 5);
	store.scroll(-2, 5);
	t.is(store.getSnapshot().scroll, total - 7);
});

test('report and quit go to the collector; quit again while stopping leaves at once', (t) => {
	const sent: ToCollector[] = [];
	let forced = 0;
	const store = createDashboardStore(
		(message) => {
			sent.push(message);
		},
		() => {
			forced++;
		},
	);
	store.writeReport();
	store.quit();
	t.is(forced, 0);
	store.quit();
	t.is(forced, 1);
	t.deepEqual(sent, [{type: 'report'}, {type: 'stop'}]);
	t.true(store.getSnapshot().quitting);
	store.toggleHelp();
	t.is(store.getSnapshot().panel, 'help');
});

test('scrolled down, the table stays on the same alerts when new ones arrive on top', (t) => {
	const {store} = setup();
	const swings = Array.from({length: 40}, (_, index) =>
		normal(index % 4 < 2 ? 20 : 40),
	);
	const first = feedLines(swings);
	store.receive(first.state.snapshot(first.time));
	store.scroll(3, 5);
	const anchor = store.getSnapshot().alerts[3]!.id;
	const more = feedLines([
		...swings,
		normal(20),
		normal(20),
		normal(40),
		normal(40),
	]);
	store.receive(more.state.snapshot(more.time));
	const view = store.getSnapshot();
	t.is(view.alerts.length, first.state.snapshot(first.time).alerts.length + 2);
	t.is(view.alerts[view.scroll]!.id, anchor);
	t.is(view.scroll, 5);
});

test('clear says how many it cleared, or that nothing was', (t) => {
	const {store} = setup();
	const {state, time} = feedLines([
		normal(20),
		normal(40),
		normal(40),
		normal(60),
	]);
	store.receive(state.snapshot(time));
	store.clearResolved(time + 1);
	t.deepEqual(store.getSnapshot().notice, {
		time: time + 1,
		text: 'cleared 1 resolved alert from the table (the report keeps them)',
		level: 'info',
	});
	store.clearResolved(time + 2);
	t.is(
		store.getSnapshot().notice?.text,
		'nothing to clear: no resolved alert is listed',
	);
});

test('l and ? each show their panel in place of the alerts, and toggle back', (t) => {
	const {store} = setup();
	t.is(store.getSnapshot().panel, 'alerts');
	store.toggleLines();
	t.is(store.getSnapshot().panel, 'lines');
	store.toggleHelp();
	t.is(store.getSnapshot().panel, 'help');
	store.toggleHelp();
	t.is(store.getSnapshot().panel, 'alerts');
	store.toggleLines();
	store.toggleLines();
	t.is(store.getSnapshot().panel, 'alerts');
});
