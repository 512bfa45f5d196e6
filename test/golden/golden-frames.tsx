// The dashboard's frames for a monitor state, drawn by ink-testing-library at a terminal
// size, as the golden files keep them: colours stripped (Ink's colour depends on the
// terminal and on FORCE_COLOR, so a frame with them would differ between a terminal and a
// pipe), one trailing newline.
import {stripVTControlCharacters} from 'node:util';
import type {MonitorState} from '../../source/app/monitor-state.js';
import {renderState} from '../helpers/render-dashboard.js';

export async function dashboardFrame(
	state: MonitorState,
	time: number,
	columns: number,
	rows: number,
): Promise<string> {
	const teardowns: Array<() => unknown> = [];
	// renderState only registers its unmount; the frame is taken before it runs.
	const owner = {
		teardown(callback: () => unknown) {
			teardowns.push(callback);
		},
	};
	try {
		const dashboard = renderState(owner, state, time);
		await dashboard.resize(columns, rows);
		return `${stripVTControlCharacters(dashboard.frame())}\n`;
	} finally {
		for (const teardown of teardowns.toReversed()) {
			// eslint-disable-next-line no-await-in-loop -- in the order AVA would run them
			await teardown();
		}
	}
}
