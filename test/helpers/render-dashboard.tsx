// The dashboard rendered by ink-testing-library from a state fed real lines, with a clock
// and a terminal size the test sets.
import type {ExecutionContext} from 'ava';
import {render} from 'ink-testing-library';
import {createDashboardStore} from '../../source/app/dashboard-store.js';
import type {ToCollector} from '../../source/app/collector-protocol.js';
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

export function renderDashboard(
	t: ExecutionContext,
	lines: ReadonlyArray<string | Uint8Array>,
	options: Parameters<typeof feedLines>[1] = {},
) {
	const {state, time} = feedLines(lines, options);
	const sent: ToCollector[] = [];
	const store = createDashboardStore((message) => {
		sent.push(message);
	});
	store.receive(state.snapshot(time));
	let now = time;
	const clock = () => now;
	const ink = render(<Dashboard store={store} clock={clock} />);
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
			const before = frame();
			Object.defineProperty(ink.stdout, 'columns', {
				get: () => columns,
				configurable: true,
			});
			Object.defineProperty(ink.stdout, 'rows', {
				get: () => rows,
				configurable: true,
			});
			ink.stdout.emit('resize');
			// A size whose layout looks the same as the last one changes no frame.
			await waitUntil(() => frame() !== before, 'a new frame', 300).catch(
				() => undefined,
			);
		},
		async press(keys: string) {
			const before = frame();
			ink.stdin.write(keys);
			// Ink handles input on the next turns of the event loop, later on a loaded machine:
			// wait for the frame to change, or a second for a key that changes nothing on screen.
			const deadline = Date.now() + 1000;
			do {
				// eslint-disable-next-line no-await-in-loop
				await new Promise((resolve) => {
					setTimeout(resolve, 30);
				});
			} while (frame() === before && Date.now() < deadline);
		},
	};
}
