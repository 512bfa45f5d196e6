// A monitor's start takes up raw.log from its checkpoint: only the lines after it are read,
// and the report, the CSV and the error log come out as a replay of the whole file gives
// them, after a clean stop, after a crash between checkpoints (lines in raw.log the
// checkpoint does not cover), and when raw.log, the derived files or the thresholds
// changed behind its back (the take-up is then in full, and says why).
import {
	appendFileSync,
	existsSync,
	readFileSync,
	rmSync,
	statSync,
	truncateSync,
	writeFileSync,
} from 'node:fs';
import {join} from 'node:path';
import test, {type ExecutionContext} from 'ava';
import fc from 'fast-check';
import {
	detectorSettings,
	parseConfig,
	type Config,
} from '../../source/core/config.js';
import {
	outputPaths,
	openOutputFiles,
} from '../../source/adapters/output-files.js';
import {readCheckpoint} from '../../source/adapters/checkpoint-file.js';
import {findResumePoint} from '../../source/app/resume-point.js';
import {
	openRunHistory,
	statePaths,
	type RunHistory,
} from '../../source/app/run-history.js';
import {replay} from '../../source/commands/replay.js';
import {recordingIo} from '../helpers/command-io.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {builtin, builtinReading} from '../helpers/builtin-reading.js';

const start = Date.parse('2026-12-01T10:00:00.000Z');

/** raw.log lines from step `from` on: readings, breaches, garbage, a silence now and then. */
function rawLines(from: number, count: number, seed: number): string {
	let text = '';
	let time = start + from * 500;
	for (let index = from; index < from + count; index++) {
		const pick = (index * 7919 + seed * 104_729) % 97;
		time += pick === 3 ? 9000 : 500;
		const line =
			pick < 3
				? 'T:??,V:5'
				: pick < 20
					? `T:${80 + (pick % 15)},V:${pick % 4 === 0 ? 5.9 : 5},S:${pick % 2 === 0 ? 'NORMAL' : 'WARNING_TEMP'}`
					: `T:${20 + (pick % 5)},V:5,S:NORMAL`;
		text += `${new Date(time).toISOString()}\t${line}\n`;
	}

	return text;
}

function configIn(dir: string, extra = ''): Config {
	return parseConfig(`output:\n  dir: ${dir}\n${extra}`, 'config.yaml');
}

/** A monitor's start and stop, without a port: take up raw.log, save the checkpoint, write the report. */
async function monitorStart(config: Config, stop = true) {
	const paths = outputPaths(config.output);
	const resume = findResumePoint(
		{raw: paths.raw, checkpoint: statePaths(paths.dir).checkpoint},
		{
			settings: detectorSettings(config),
			maxLineBytes: config.serial.max_line_bytes,
		},
	);
	const files = openOutputFiles(paths, builtin, resume.checkpoint?.rawLog);
	const history: RunHistory = openRunHistory({
		config,
		outputDir: paths.dir,
		files,
		rawPath: paths.raw,
		resume,
	});
	const taken = await history.takeUp({
		signal: new AbortController().signal,
		onProgress() {
			// Not under test here.
		},
	});
	// As replay reports: open incidents as they stand at the last line.
	const report = JSON.stringify(
		history.detector.report(lastLineTime(paths.raw)),
	);
	if (stop) {
		saveOrThrow(history);
	}

	history.close();
	files.close();
	return {reason: history.resume.reason, taken, report, paths};
}

function lastLineTime(rawLog: string): number {
	const lines = readFileSync(rawLog, 'utf8').trimEnd().split('\n');
	return Date.parse(lines.at(-1)!.slice(0, 24));
}

function saveOrThrow(history: RunHistory) {
	const problem = history.save();
	if (problem) {
		throw new Error(problem);
	}
}

/** What replay gives for the raw.log: report, CSV, error log. */
async function replayed(t: ExecutionContext, config: Config, rawLog: string) {
	const out = temporaryDirectory(t, 'replayed');
	const io = recordingIo();
	t.is(await replay({config, rawLog, out}, io), 0, io.err());
	return {
		report: readFileSync(join(out, 'anomaly_report.json'), 'utf8'),
		csv: readFileSync(join(out, 'structured_metrics.csv'), 'utf8'),
		errors: readFileSync(join(out, 'parser_errors.log'), 'utf8'),
	};
}

async function expectReplay(
	t: ExecutionContext,
	config: Config,
	report: string,
	{derived = true} = {},
) {
	const paths = outputPaths(config.output);
	const expected = await replayed(t, config, paths.raw);
	t.deepEqual(JSON.parse(report), JSON.parse(expected.report));
	if (!derived) {
		return;
	}

	t.is(readFileSync(paths.metrics, 'utf8'), expected.csv);
	t.is(readFileSync(paths.errors, 'utf8'), expected.errors);
}

test('a start after a clean stop reads only the lines after the checkpoint, and equals a replay', async (t) => {
	const dir = temporaryDirectory(t, 'resume');
	const config = configIn(dir);
	writeFileSync(outputPaths(config.output).raw, rawLines(0, 3000, 1));
	const first = await monitorStart(config);
	t.is(first.taken.lines, 3000);
	// Lines a later run received, its checkpoint not yet saved (a crash between checkpoints).
	appendFileSync(first.paths.raw, rawLines(3000, 500, 2));
	const second = await monitorStart(config);
	t.is(second.reason, undefined);
	t.is(second.taken.lines, 500);
	t.true(second.taken.rows > 400, `${second.taken.rows} rows completed`);
	await expectReplay(t, config, second.report);
	// And again with nothing new: nothing to read; a run killed while it saved leaves no temporary file for good.
	const leftover = `${statePaths(first.paths.dir).checkpoint}.12345.tmp`;
	writeFileSync(leftover, '{');
	const third = await monitorStart(config);
	t.false(existsSync(leftover));
	t.is(third.taken.lines, 0);
	t.is(third.report, second.report);
});

const changes: Array<{
	name: string;
	change: (paths: ReturnType<typeof outputPaths>) => void;
	reason: RegExp;
	extra?: string;
	/** The CSV and the error log hold lines read otherwise: they are only ever completed, not rewritten to match. */
	derivedStale?: boolean;
}> = [
	{
		name: 'a byte of the covered part edited',
		change(paths) {
			const text = readFileSync(paths.raw, 'utf8');
			writeFileSync(paths.raw, text.replace('T:2', 'T:3'));
		},
		reason: /first 2000 lines changed since the checkpoint/,
		derivedStale: true,
	},
	{
		name: 'raw.log cut short',
		change(paths) {
			truncateSync(paths.raw, 1000);
		},
		reason: /shorter than the checkpoint’s 2000 lines/,
		derivedStale: true,
	},
	{
		name: 'the CSV deleted',
		change(paths) {
			rmSync(paths.metrics);
		},
		reason: /the CSV ends before the checkpoint’s line/,
	},
	{
		name: 'the journal cut',
		change(paths) {
			const {journal} = statePaths(paths.dir);
			for (const type of ['THRESHOLD_BREACH_TEMP', 'STATUS_MISMATCH']) {
				writeFileSync(join(journal, `${type}.jsonl`), '');
			}
		},
		reason: /the checkpoint cannot be restored/,
	},
	{
		name: 'the checkpoint not JSON',
		change(paths) {
			writeFileSync(statePaths(paths.dir).checkpoint, '{"version":1,');
		},
		reason: /does not match its digest/,
	},
	{
		// Same length, so only its content tells: the report is written from these entries.
		name: 'a journal entry garbled',
		change(paths) {
			const file = join(
				statePaths(paths.dir).journal,
				'THRESHOLD_BREACH_TEMP.jsonl',
			);
			const text = readFileSync(file, 'latin1');
			writeFileSync(file, `${'#'.repeat(20)}${text.slice(20)}`, 'latin1');
		},
		reason:
			/the checkpoint cannot be restored: .*THRESHOLD_BREACH_TEMP\.jsonl changed since the checkpoint/,
	},
	{
		name: 'the checkpoint cut in half',
		change(paths) {
			const {checkpoint} = statePaths(paths.dir);
			truncateSync(checkpoint, Math.floor(statSync(checkpoint).size / 2));
		},
		reason: /does not match its digest/,
	},
	{
		// Valid JSON of the right shape, one number changed: resumed from, every line number
		// after it would be off by three.
		name: 'the checkpoint edited by hand, still valid JSON',
		change(paths) {
			const {checkpoint} = statePaths(paths.dir);
			const text = readFileSync(checkpoint, 'utf8');
			writeFileSync(
				checkpoint,
				text.replace(
					/"lines":(\d+)/,
					(_, lines: string) => `"lines":${Number(lines) + 3}`,
				),
			);
		},
		reason: /does not match its digest/,
	},
	{
		// Sparse: 600 MB that take no disk, which a start must not read into memory.
		name: 'a checkpoint of 600 MB',
		change(paths) {
			truncateSync(statePaths(paths.dir).checkpoint, 600 * 1024 * 1024);
		},
		reason: /is \d+ bytes, more than a checkpoint ever is/,
	},
	{
		name: 'other thresholds',
		change() {
			// The config below.
		},
		extra: 'thresholds:\n  temperature:\n    max_c: 88\n',
		reason: /thresholds in the config differ/,
	},
	{
		name: 'other protocol limits',
		change() {
			// The config below: readings above 85 °C are now malformed lines.
		},
		extra: 'protocol:\n  temperature_max_c: 85\n',
		reason: /protocol limits in the config .* differ/,
		derivedStale: true,
	},
];

for (const {name, change, reason, extra, derivedStale} of changes) {
	test(`${name}: the start takes up raw.log in full, says why, and equals a replay`, async (t) => {
		const dir = temporaryDirectory(t, 'changed');
		const config = configIn(dir);
		writeFileSync(outputPaths(config.output).raw, rawLines(0, 2000, 3));
		const first = await monitorStart(config);
		change(first.paths);
		const next = configIn(dir, extra);
		const second = await monitorStart(next);
		t.regex(second.reason ?? '', reason);
		t.is(
			second.taken.lines,
			readFileSync(first.paths.raw, 'utf8').split('\n').length - 1,
		);
		await expectReplay(t, next, second.report, {derived: !derivedStale});
	});
}

test('property: stops and crashes at any lines give the report, CSV and error log of a replay', async (t) => {
	await t.notThrowsAsync(
		fc.assert(
			fc.asyncProperty(
				fc.array(
					fc.record({
						lines: fc.integer({min: 1, max: 400}),
						// A crash: the lines reach raw.log, no checkpoint after them.
						crash: fc.boolean(),
					}),
					{minLength: 1, maxLength: 5},
				),
				fc.integer({min: 0, max: 1000}),
				async (runs, seed) => {
					const dir = temporaryDirectory(t, 'runs');
					const config = configIn(dir);
					const {raw} = outputPaths(config.output);
					let written = 0;
					let last;
					for (const run of runs) {
						appendFileSync(raw, rawLines(written, run.lines, seed));
						written += run.lines;
						// eslint-disable-next-line no-await-in-loop -- runs follow each other
						last = await monitorStart(config, !run.crash);
					}

					const expected = await replayed(t, config, raw);
					return (
						JSON.stringify(JSON.parse(last?.report ?? 'null')) ===
							JSON.stringify(JSON.parse(expected.report)) &&
						readFileSync(outputPaths(config.output).metrics, 'utf8') ===
							expected.csv
					);
				},
			),
			{numRuns: 15},
		),
	);
});

test("a reading appended one at a time is in the checkpoint's mark of the CSV, as rows appended together are", (t) => {
	const dir = temporaryDirectory(t, 'mark');
	const config = configIn(dir);
	const paths = outputPaths(config.output);
	writeFileSync(paths.raw, rawLines(0, 10, 5));
	const files = openOutputFiles(paths, builtin);
	const history = openRunHistory({
		config,
		outputDir: paths.dir,
		files,
		rawPath: paths.raw,
		resume: {reason: 'no checkpoint'},
	});
	history.derived.metrics.appendReading(
		start,
		11,
		builtinReading({
			temperature: 20,
			voltage: 5,
			status: 'NORMAL',
			level: 'NORMAL',
		}),
	);
	saveOrThrow(history);
	history.close();
	files.close();
	const saved = readCheckpoint(statePaths(paths.dir).checkpoint);
	t.is('checkpoint' in saved && saved.checkpoint.derived.metrics, 11);
});
