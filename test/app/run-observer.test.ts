import test from 'ava';
import type {IncidentEvent} from '../../source/core/incident.js';
import {
	withObservers,
	type RunObserver,
} from '../../source/app/run-observer.js';

const observer = (
	name: string,
	seen: string[],
	onEvents?: () => void,
): RunObserver => ({
	onEvents(events) {
		onEvents?.();
		seen.push(`${name} ${events.length}`);
	},
	health: () => [{name, ok: true, detail: ''}],
	close: async () => undefined,
});

test('each hook tells the run first, then every observer there at the time; one that throws is told no more of it, said once', (t) => {
	const seen: string[] = [];
	const faults: string[] = [];
	const observers: RunObserver[] = [];
	const hooks = withObservers(
		{
			onEvents(events: readonly IncidentEvent[]) {
				seen.push(`run ${events.length}`);
			},
			onStatus() {
				// Not under test.
			},
		},
		observers,
		(message) => {
			faults.push(message);
		},
	);
	hooks.onEvents([]);
	observers.push(
		observer('broken', seen, () => {
			throw new Error('bug');
		}),
		observer('exporter', seen),
	);
	hooks.onEvents([]);
	hooks.onEvents([]);
	t.deepEqual(seen, ['run 0', 'run 0', 'exporter 0', 'run 0', 'exporter 0']);
	t.deepEqual(faults, [
		'broken failed on onEvents and is told no more of it: bug',
	]);
});
