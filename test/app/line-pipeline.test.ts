import {Buffer} from 'node:buffer';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import fc from 'fast-check';
import {
	defaultConfig,
	protocolLimits,
	detectorSettings,
} from '../../source/core/config.js';
import {createDetector} from '../../source/core/detector.js';
import {openMetricsCsv} from '../../source/adapters/metrics-csv.js';
import {openParserErrorLog} from '../../source/adapters/parser-error-log.js';
import {
	asProfileReading,
	createBatchPipeline,
	createLinePipeline,
	deviceCodec,
} from '../../source/app/line-pipeline.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {builtin} from '../helpers/builtin-reading.js';

const start = Date.parse('2026-11-24T10:00:00.000Z');
const limits = protocolLimits(defaultConfig);

// Readings of the common shape and of others (an exponent, another order), statuses that
// need quoting in the CSV, breaches, garbage, empty and over-long lines.
const text = fc.oneof(
	fc
		.tuple(
			fc.integer({min: -400, max: 1200}),
			fc.integer({min: 30, max: 70}),
			fc.constantFrom('NORMAL', 'WARNING_TEMP', 'CRITICAL', 'OFFLINE_X'),
		)
		.map(
			([tenths, volts, status]) =>
				`T:${tenths / 10},V:${volts / 10},S:${status}`,
		),
	fc.constantFrom(
		'T:1e1,V:5,S:NORMAL',
		'V:5,T:20,S:NORMAL',
		'T:20,V:5,S:WARNING_É',
		'T:20,V:5,S:NORMAL',
		'T:20,V:5,S:NORMAL\r',
		'',
		'garbage',
		'T:20,V:5',
		'x'.repeat(limits.maxLineBytes),
		'x'.repeat(limits.maxLineBytes + 3),
	),
	fc.string({maxLength: 30}),
);
const lines = fc.array(fc.tuple(fc.integer({min: 0, max: 20_000}), text), {
	minLength: 1,
	maxLength: 60,
});

type Fed = Array<[gapMs: number, text: string]>;

/** The files, stats and events a pipeline gives for the lines, each its own batch of one. */
function run(dir: string, fed: Fed, lineByLine: boolean) {
	const options = {truncate: true};
	const metrics = openMetricsCsv(join(dir, 'metrics.csv'), builtin, options);
	const errors = openParserErrorLog(join(dir, 'errors.log'), options);
	const events: string[] = [];
	const sinks = {
		metrics,
		errors,
		events(more: readonly unknown[]) {
			events.push(JSON.stringify(more));
		},
	};
	const detector = createDetector(detectorSettings(defaultConfig));
	const byBatch = createBatchPipeline(
		deviceCodec(defaultConfig),
		detector,
		sinks,
	);
	const byLine = createLinePipeline(deviceCodec(defaultConfig), detector, {
		reading(time, line, reading) {
			metrics.appendReading(time, line, asProfileReading(reading));
		},
		error(error) {
			errors.append([error]);
		},
		events: sinks.events,
	});
	let time = start;
	for (const [index, [gapMs, line]] of fed.entries()) {
		time += gapMs;
		const bytes = Buffer.from(line);
		if (lineByLine) {
			// Among other bytes, as in a read of a file: nothing past its end may count.
			const read = Buffer.concat([
				Buffer.from('7\t'),
				bytes,
				Buffer.from(',V:5,S:NORMAL'),
			]);
			byLine.processLine(time, index + 1, read, 2, 2 + bytes.length);
		} else {
			byBatch.process(time, index + 1, [bytes]);
		}
	}

	metrics.close();
	errors.close();
	return {
		csv: readFileSync(join(dir, 'metrics.csv'), 'latin1'),
		errors: readFileSync(join(dir, 'errors.log'), 'latin1'),
		events,
		stats: lineByLine ? byLine.stats : byBatch.stats,
		report: JSON.stringify(detector.report(time)),
	};
}

test('property: a line at a time gives the files, events, stats and report that batches of it give', (t) => {
	const dir = temporaryDirectory(t, 'line-by-line');
	fc.assert(
		fc.property(lines, (fed) => {
			t.deepEqual(run(dir, fed, true), run(dir, fed, false));
		}),
		{numRuns: 150},
	);
});
