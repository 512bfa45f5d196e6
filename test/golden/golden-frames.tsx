// The dashboard's frames for a monitor state, drawn by ink-testing-library at a terminal
// size, as the golden files keep them: colours stripped and each line's trailing blanks
// removed (Ink's colour depends on the terminal and on FORCE_COLOR, and with colour on it
// keeps the coloured blanks that end a chart's rows, which it trims without), one trailing
// newline.
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
		const lines = stripVTControlCharacters(dashboard.frame())
			.split('\n')
			.map((line) => line.trimEnd());
		return `${lines.join('\n')}\n`;
	} finally {
		for (const teardown of teardowns.toReversed()) {
			// eslint-disable-next-line no-await-in-loop -- in the order AVA would run them
			await teardown();
		}
	}
}
