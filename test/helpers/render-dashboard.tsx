// The dashboard rendered by ink-testing-library from a state fed real lines, with a clock
// and a terminal size the test sets.
import type {ExecutionContext} from 'ava';
import {render} from 'ink-testing-library';
import {useLayoutEffect} from 'react';
import {useTerminalSize} from '../../source/ui/use-terminal-size.js';
import {createDashboardStore} from '../../source/app/dashboard-store.js';
import type {ToCollector} from '../../source/app/collector-protocol.js';
import type {MonitorState} from '../../source/app/monitor-state.js';
import {Dashboard} from '../../source/ui/dashboard.js';
import {feedLines} from './monitor-snapshot.js';
import {waitUntil} from './wait-until.js';

export const normal = (temperature: number) =>
	`T:${temperature.toFixed(1)},V:5.0,S:NORMAL`;

/** 40 calm readings, a critical breach that resolves, then calm again. */
export const breachAndBack = [
	...Array.from({length: 40}, (_, index) => normal(40 + (index % 3))),
	'T:85.0,V:5.0,S:CRITICAL_TEMP',
	'T:86.0,V:5.0,S:CRITICAL_TEMP',
	...Array.from({length: 5}, () => normal(50)),
];

/** Draws nothing; tells the size the frame just drawn was laid out for. */
function SizeProbe(props: {onDrawn: (size: string) => void}) {
	const {columns, rows} = useTerminalSize();
	// A layout effect runs after the commit that drew the frame, before any other work.
	useLayoutEffect(() => {
		props.onDrawn(`${columns}x${rows}`);
	});
	return null;
}

export function renderDashboard(
	t: ExecutionContext,
	lines: ReadonlyArray<string | Uint8Array>,
	options: Parameters<typeof feedLines>[1] = {},
) {
	const {state, time} = feedLines(lines, options);
	return renderState(t, state, time);
}

/** The dashboard drawing a state the caller built, at `time`. */
export function renderState(
	t: Pick<ExecutionContext, 'teardown'>,
	state: MonitorState,
	time: number,
) {
	const sent: ToCollector[] = [];
	const store = createDashboardStore((message) => {
		sent.push(message);
	});
	store.receive(state.snapshot(time));
	let now = time;
	const clock = () => now;
	let drawnSize = '';
	const ink = render(
		<>
			<SizeProbe
				onDrawn={(size) => {
					drawnSize = size;
				}}
			/>
			<Dashboard store={store} clock={clock} />
		</>,
	);
	// An instance left mounted keeps the test process alive.
	t.teardown(() => {
		ink.unmount();
	});
	const frame = () => ink.lastFrame() ?? '';
	return {
		state,
		store,
		sent,
		ink,
		frame,
		/** The screen's lines. */
		screen: () => frame().split('\n'),
		time,
		setNow(value: number) {
			now = value;
		},
		/** Hands the screen a new snapshot, taken at `at`, and waits for it to show. */
		async publish(at: number) {
			const before = frame();
			now = at;
			store.receive(state.snapshot(at));
			await waitUntil(() => frame() !== before, 'the snapshot shows');
		},
		async resize(columns: number, rows: number) {
			Object.defineProperty(ink.stdout, 'columns', {
				get: () => columns,
				configurable: true,
			});
			Object.defineProperty(ink.stdout, 'rows', {
				get: () => rows,
				configurable: true,
			});
			ink.stdout.emit('resize');
			// Drawn once the probe beside the dashboard has committed the size: they are
			// drawn in one frame.
			await waitUntil(
				() => drawnSize === `${columns}x${rows}`,
				`the dashboard drawn at ${columns}x${rows}`,
			);
		},
		/**
		 * Types the keys once the dashboard listens to them (Ink subscribes in an effect, a
		 * moment after the first frame), then waits for a new frame, or until `shown` holds:
		 * a key that may change nothing on screen says what it does change.
		 */
		async press(keys: string, shown?: () => boolean) {
			await waitUntil(
				() => ink.stdin.listenerCount('readable') > 0,
				'the dashboard listens to keys',
			);
			const before = frame();
			ink.stdin.write(keys);
			await waitUntil(
				() => frame() !== before || (shown?.() ?? false),
				`the effect of ${JSON.stringify(keys)}`,
			);
		},
	};
}
