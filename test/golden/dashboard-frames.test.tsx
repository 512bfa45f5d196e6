// The dashboard after the golden mixed raw.log, drawn at 80x24 and 120x40, equals the
// golden frames (colours stripped: golden-frames.tsx).
import test from 'ava';
import {dashboardFrame} from './golden-frames.js';
import {sameBytes} from './golden-compare.js';
import {
	dashboardFile,
	dashboardSizes,
	liveRun,
	rawLogPath,
	readGolden,
} from './golden-run.js';

for (const [columns, rows] of dashboardSizes) {
	test(`the dashboard after the mixed raw.log at ${columns}x${rows} is the golden frame`, async (t) => {
		const run = await liveRun(rawLogPath('mixed'));
		const frame = await dashboardFrame(run.state, run.stoppedAt, columns, rows);
		const file = dashboardFile(columns, rows);
		sameBytes(t, frame, readGolden('mixed', file), `mixed/${file}`);
	});
}
