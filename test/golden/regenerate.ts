// Rewrites the golden files in test/fixtures/golden/ from what TODAY's code makes of the
// committed inputs. Run it only deliberately, when an output is meant to change, and
// review the diff it leaves: the golden tests exist to say that nothing else changed.
//
//   npm run build --silent && node --import=tsx test/golden/regenerate.ts
//   ... --inputs   also rewrites the inputs (each case's raw.log) first
//
// The inputs are described in golden-inputs.ts.
import {
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import process from 'node:process';
import {dashboardFrame} from './golden-frames.js';
import {buildInputs} from './golden-inputs.js';
import {
	dashboardFile,
	dashboardSizes,
	eventsFile,
	goldenCases,
	goldenDir,
	liveRun,
	metricsFile,
	influxFile,
	rawLogPath,
	replayFiles,
	replayInto,
	type GoldenCase,
} from './golden-run.js';

async function writeOutputs(name: GoldenCase): Promise<void> {
	const dir = join(goldenDir, name);
	const work = mkdtempSync(join(tmpdir(), 'serialwatch-golden-'));
	try {
		const out = join(work, 'out');
		await replayInto(rawLogPath(name), work, out);
		for (const file of replayFiles) {
			writeFileSync(join(dir, file), readFileSync(join(out, file)));
		}
	} finally {
		rmSync(work, {recursive: true, force: true});
	}

	const run = await liveRun(rawLogPath(name));
	writeFileSync(join(dir, eventsFile), run.events);
	writeFileSync(join(dir, metricsFile), run.metrics);
	writeFileSync(join(dir, influxFile), run.influx);
	if (name === 'mixed') {
		for (const [columns, rows] of dashboardSizes) {
			writeFileSync(
				join(dir, dashboardFile(columns, rows)),
				// eslint-disable-next-line no-await-in-loop -- one Ink instance at a time
				await dashboardFrame(run.state, run.stoppedAt, columns, rows),
			);
		}
	}
}

if (process.argv.includes('--inputs')) {
	const inputs = buildInputs();
	for (const name of goldenCases) {
		mkdirSync(join(goldenDir, name), {recursive: true});
		writeFileSync(rawLogPath(name), inputs[name]);
	}
}

for (const name of goldenCases) {
	// eslint-disable-next-line no-await-in-loop -- one replay at a time on a busy machine
	await writeOutputs(name);
	process.stdout.write(`wrote ${join(goldenDir, name)}\n`);
}
