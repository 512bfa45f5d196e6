import test from 'ava';
import {useState, useEffect} from 'react';
import {Text} from 'ink';
import {render} from 'ink-testing-library';
import {useNow} from '../../source/ui/use-now.js';

const sleep = async (ms: number) =>
	new Promise((resolve) => {
		setTimeout(resolve, ms);
	});

function Clock(props: {
	frozenAt?: number;
	clock: () => number;
	/** Renders again every `everyMs`, as snapshots do, and counts those. */
	everyMs?: number;
	onOtherRender?: () => void;
}) {
	const [, setRenders] = useState(0);
	useEffect(() => {
		if (props.everyMs === undefined) return;
		const timer = setInterval(() => {
			props.onOtherRender?.();
			setRenders((renders) => renders + 1);
		}, props.everyMs);
		return () => {
			clearInterval(timer);
		};
	}, [props.everyMs]);
	return <Text>{useNow(200, props.frozenAt, props.clock)}</Text>;
}

test('with nothing else drawing, the clock is drawn again after each interval', async (t) => {
	let reads = 0;
	const ink = render(<Clock clock={() => ++reads} />);
	t.teardown(() => {
		ink.unmount();
	});
	await sleep(700);
	t.true(reads >= 3, `${reads} reads`);
});

test('while other renders come more often than the interval, the clock adds none of its own', async (t) => {
	let reads = 0;
	let others = 0;
	const ink = render(
		<Clock
			clock={() => ++reads}
			everyMs={50}
			onOtherRender={() => {
				others++;
			}}
		/>,
	);
	t.teardown(() => {
		ink.unmount();
	});
	await sleep(700);
	// One read per render: the first, and one per other render (one more may be on its way).
	t.true(others >= 5, `${others} other renders`);
	t.true(reads <= others + 2, `${reads} reads for ${others} other renders`);
});

test('frozen, it shows the time it froze at and is not drawn again', async (t) => {
	let reads = 0;
	const ink = render(<Clock frozenAt={42} clock={() => ++reads} />);
	t.teardown(() => {
		ink.unmount();
	});
	await sleep(500);
	t.is(ink.lastFrame(), '42');
	t.is(reads, 0);
});
