// Replay and detect keep closed incidents in a journal on disk and write the report from
// it: the report must be the very bytes the in-memory detector gives, and the journal gone.
import {
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	writeFileSync,
} from 'node:fs';
import {join} from 'node:path';
import {Buffer} from 'node:buffer';
import process from 'node:process';
import test from 'ava';
import {
	defaultConfig,
	protocolLimits,
	detectorSettings,
} from '../../source/core/config.js';
import {createDetector} from '../../source/core/detector.js';
import {parseLine} from '../../source/core/protocol.js';
import {feedRawLog} from '../../source/app/feed-raw-log.js';
import {
	createBatchPipeline,
	deviceCodec,
} from '../../source/app/line-pipeline.js';
import {detect} from '../../source/commands/detect.js';
import {replay, replayJournalDir} from '../../source/commands/replay.js';
import {recordingIo} from '../helpers/command-io.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';

const start = Date.parse('2026-11-24T10:00:00.000Z');

/**
 * A reading that alternates between a breach and normal every line (more than one
 * incident a line), with a silence, a clock stepped back and a few malformed lines.
 */
function flappingRawLog(dir: string, count: number): string {
	const path = join(dir, 'raw.log');
	const lines: string[] = [];
	let time = start;
	for (let index = 0; index < count; index++) {
		time += index === count / 2 ? 20_000 : index === count / 4 ? -60_000 : 100;
		const text =
			index % 997 === 0
				? 'garbage'
				: index % 2 === 0
					? 'T:95,V:5,S:NORMAL'
					: 'T:25,V:5,S:NORMAL';
		lines.push(`${new Date(time).toISOString()}\t${text}\n`);
	}

	writeFileSync(path, lines.join(''));
	return path;
}

function ignore(): void {
	// What the in-memory path writes besides the report is not compared here.
}

/** The report as the detector that keeps every incident in memory gives it. */
async function inMemoryReport(rawLog: string): Promise<string> {
	const detector = createDetector(detectorSettings(defaultConfig));
	const pipeline = createBatchPipeline(deviceCodec(defaultConfig), detector, {
		metrics: {append: ignore},
		errors: {append: ignore},
		events: ignore,
	});
	const lastTime = await feedRawLog(rawLog, pipeline, {onProblem: ignore});
	return `${JSON.stringify(detector.report(lastTime ?? 0), null, 2)}\n`;
}

test('replay of a flapping raw.log writes the report of the in-memory detector, byte for byte, and leaves no journal', async (t) => {
	const dir = temporaryDirectory(t, 'replay-journal');
	const rawLog = flappingRawLog(dir, 12_000);
	const out = join(dir, 'out');
	const io = recordingIo();
	const code = await replay({config: defaultConfig, rawLog, out}, io);
	t.is(code, 0);
	const expected = await inMemoryReport(rawLog);
	const report = readFileSync(join(out, 'anomaly_report.json'), 'utf8');
	t.true(report === expected, 'the same bytes');
	const incidents = report.match(/^ {4}"timestamp"/gm)?.length ?? 0;
	t.true(incidents > 10_000);
	t.regex(io.err(), new RegExp(String.raw`^incidents: ${incidents}\b`, 'm'));
	t.false(existsSync(replayJournalDir(out)));
});

test.serial(
	'detect of a flapping CSV prints the report of the in-memory detector, and leaves no journal in the temporary directory',
	async (t) => {
		const dir = temporaryDirectory(t, 'detect-journal');
		const rows = ['timestamp,temperature,voltage,status,raw_line'];
		const detector = createDetector(detectorSettings(defaultConfig));
		let time = start;
		for (let line = 1; line <= 5000; line++) {
			time += 100;
			const temperature = line % 2 === 0 ? 95 : 25;
			rows.push(
				`${new Date(time).toISOString()},${temperature},5,NORMAL,${line}`,
			);
			const result = parseLine(
				Buffer.from(`T:${temperature},V:5,S:NORMAL`),
				protocolLimits(defaultConfig),
			);
			if (result.ok) {
				detector.observe({time, line, reading: result.reading});
			}
		}

		const csv = join(dir, 'metrics.csv');
		writeFileSync(csv, `${rows.join('\r\n')}\r\n`);
		const temporary = join(dir, 'tmp');
		mkdirSync(temporary);
		const io = recordingIo();
		const before = process.env['TMPDIR'];
		process.env['TMPDIR'] = temporary;
		try {
			t.is(await detect({config: defaultConfig, csv, report: '-'}, io), 0);
		} finally {
			if (before === undefined) {
				delete process.env['TMPDIR'];
			} else {
				process.env['TMPDIR'] = before;
			}
		}

		t.true(
			io.out() === `${JSON.stringify(detector.report(time), null, 2)}\n`,
			'the same text',
		);
		t.deepEqual(readdirSync(temporary), []);
	},
);
