// useNow on timers that move only when the test says so: what it draws does not depend on
// how busy the machine is.
import test, {type ExecutionContext} from 'ava';
import {Text} from 'ink';
import {render} from 'ink-testing-library';
import {useNow} from '../../source/ui/use-now.js';
import {fakeTimers} from '../helpers/fake-timers.js';
import {waitUntil} from '../helpers/wait-until.js';

function Clock(props: {
	frozenAt?: number;
	clock: () => number;
	timers: ReturnType<typeof fakeTimers>;
	/** Changed by the test to render again, as a new snapshot does. */
	generation?: number;
}) {
	const now = useNow(200, props.frozenAt, props.clock, props.timers.after);
	return (
		<Text>
			{now} {props.generation ?? 0}
		</Text>
	);
}

function setup(t: ExecutionContext, frozenAt?: number) {
	const timers = fakeTimers();
	let reads = 0;
	const clock = () => ++reads;
	const ink = render(
		<Clock clock={clock} timers={timers} frozenAt={frozenAt} />,
	);
	t.teardown(() => {
		ink.unmount();
	});
	return {
		timers,
		reads: () => reads,
		rerender(generation: number) {
			ink.rerender(
				<Clock
					clock={clock}
					timers={timers}
					frozenAt={frozenAt}
					generation={generation}
				/>,
			);
		},
		frame: () => ink.lastFrame() ?? '',
	};
}

test('with nothing else drawing, the clock is drawn again after each interval, and not before', async (t) => {
	const {timers, reads} = setup(t);
	t.is(reads(), 1, 'the first render');
	await timers.advance(199);
	t.is(reads(), 1);
	for (const expected of [2, 3, 4]) {
		// eslint-disable-next-line no-await-in-loop
		await timers.advance(expected === 2 ? 1 : 200);
		// eslint-disable-next-line no-await-in-loop
		await waitUntil(() => reads() === expected, `read ${expected}`);
	}

	await timers.settle();
	t.is(reads(), 4);
});

test('a render of its own starts the interval again: renders more often than the interval add no clock render', async (t) => {
	const {timers, reads, rerender, frame} = setup(t);
	for (let generation = 1; generation <= 5; generation++) {
		// eslint-disable-next-line no-await-in-loop
		await timers.advance(150);
		rerender(generation);
		// eslint-disable-next-line no-await-in-loop
		await waitUntil(
			() => frame().endsWith(` ${generation}`),
			`render ${generation}`,
		);
	}

	await timers.settle();
	t.is(
		reads(),
		6,
		'the first render and one per other render, none of its own',
	);
	await timers.advance(200);
	await waitUntil(() => reads() >= 7, 'the interval passes with no render');
	t.is(reads(), 7);
});

test('frozen, it shows the time it froze at and is not drawn again', async (t) => {
	const {timers, reads, frame} = setup(t, 42);
	await timers.advance(1000);
	t.is(frame(), '42 0');
	t.is(reads(), 0);
	t.is(timers.pending(), 0);
});
