// `serialwatch detect [CSV]`: batch detection over a structured_metrics.csv, clocked by
// its timestamps. A CSV holds valid readings only, so the parse-error rate cannot be
// judged from it, and a silence is measured between readings (replay sees every line).
// Its columns are found by name in its header, which must be the columns of the device
// config.yaml declares; each row is held to that device's rules as its line was.
import {createReadStream, mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {parse} from 'csv-parse';
import {detectorSettings, type Config} from '../core/config.js';
import {createDetector} from '../core/detector.js';
import {errorMessage} from '../core/error-message.js';
import {RunFailure} from '../core/run-failure.js';
import {readingFromTexts} from '../core/codec/field-values.js';
import {unguardText} from '../core/csv-record.js';
import type {DeviceProfile} from '../core/device-profile.js';
import {metricsColumns} from '../adapters/metrics-csv.js';
import {outputPaths} from '../adapters/output-files.js';
import {writingTo} from '../adapters/write-error.js';
import {
	openIncidentJournal,
	type IncidentJournal,
} from '../adapters/incident-journal.js';
import {streamReport, writeReportYielding} from '../adapters/report-writer.js';
import {formatSummary} from '../app/run-summary.js';
import type {CommandIo} from './command-io.js';
import {wrongPathError} from './input-file-error.js';
import {UsageError} from './usage-error.js';

export type DetectOptions = {
	config: Config;
	csv: string | undefined;
	/** A path, or `-` (the default) for stdout: detect never writes over the live report unasked. */
	report: string | undefined;
};

export async function detect(
	options: DetectOptions,
	io: CommandIo,
): Promise<number> {
	// Closed incidents wait on disk, not in memory, until the report is written from them.
	const journal = openIncidentJournal(
		writingTo(tmpdir(), () =>
			mkdtempSync(join(tmpdir(), 'serialwatch-detect-')),
		),
	);
	try {
		return await detectWith(journal, options, io);
	} finally {
		journal.remove();
	}
}

async function detectWith(
	journal: IncidentJournal,
	options: DetectOptions,
	io: CommandIo,
): Promise<number> {
	const {config} = options;
	const paths = outputPaths(config.output);
	const csvPath = options.csv ?? paths.metrics;
	const reportPath = options.report ?? '-';
	const settings = detectorSettings(config);
	const {profile} = settings;
	const detector = createDetector(settings, {closed: journal});
	const stats = {lines: 0, valid: 0, malformed: 0};
	let lastTime = 0;

	try {
		const parser = parse({
			columns(header: string[]) {
				// Checked before any row, so that another kind of file is named as such.
				const problem = headerProblem(header, profile);
				if (problem !== undefined) {
					throw new UsageError(`${csvPath} ${problem}`);
				}

				return header;
			},
			skip_empty_lines: true,
			// Each record with its own position: parser.info is the parser's, which reads ahead.
			info: true,
		});
		createReadStream(csvPath)
			.on('error', (error) => {
				parser.destroy(error);
			})
			.pipe(parser);
		for await (const {record: row, info} of parser as AsyncIterable<{
			record: Record<string, string>;
			info: {lines: number};
		}>) {
			// The row's line in the file (the header is line 1); a quoted field may span lines.
			const fileLine = info.lines;
			stats.lines++;
			const time = Date.parse(row['timestamp']!);
			const result = rowReading(row, profile);
			// The raw.log line, when the CSV has it, keeps the report's evidence links true.
			const line = Number(row['raw_line'] ?? Number.NaN) || fileLine;
			const problem = Number.isNaN(time)
				? `bad timestamp '${row['timestamp']}'`
				: result.ok
					? undefined
					: result.reason;
			if (problem !== undefined || !result.ok) {
				stats.malformed++;
				io.stderr(`${csvPath}:${fileLine}: skipped: ${problem}\n`);
				continue;
			}

			stats.valid++;
			detector.observe({
				time,
				line,
				reading: result.reading,
			});
			lastTime = time;
		}
	} catch (error) {
		if (error instanceof UsageError) {
			throw error;
		}

		const wrongPath = wrongPathError('read', csvPath, error);
		if (wrongPath) {
			throw options.csv === undefined
				? new UsageError(
						`${wrongPath.message}: run the monitor first, or name the CSV to read`,
					)
				: wrongPath;
		}

		throw new RunFailure(`cannot read ${csvPath}: ${errorMessage(error)}`);
	}

	const entries = detector.reportEntries(lastTime);
	const report =
		reportPath === '-'
			? await streamReport(entries, io.stdout)
			: await writeReportYielding(reportPath, entries);

	io.stderr(
		formatSummary({
			source: csvPath,
			stats,
			report,
			paths: {report: reportPath === '-' ? 'stdout' : reportPath},
		}),
	);
	return 0;
}

/**
 * Why a CSV's header is not the device's columns (timestamp, each field by name, raw_line
 * optional, in any order), or undefined when it is.
 */
export function headerProblem(
	header: readonly string[],
	profile: DeviceProfile,
): string | undefined {
	const columns = metricsColumns(profile);
	const needed = columns.slice(0, -1);
	const known = new Set(columns);
	const missing = needed.filter((column) => !header.includes(column));
	const extra = header.filter((column) => !known.has(column));
	if (missing.length === 0 && extra.length === 0) {
		return undefined;
	}

	const found = header.join(',').slice(0, 200);
	const expected = columns.join(',');
	if (!header.includes('timestamp')) {
		return `is not a structured_metrics.csv: its first line is not the header ${expected}`;
	}

	return `holds another device's columns (${found}; this device's are ${expected}): run detect with the config the CSV was written under (--config), or replay raw.log with this config to write this device's CSV`;
}

/**
 * A row read back as the reading it was written from, held to the device's own rules; a
 * text cell loses the guard the CSV gave it, an empty cell is an absent field.
 */
export function rowReading(
	row: Record<string, string>,
	profile: DeviceProfile,
): ReturnType<typeof readingFromTexts> {
	return readingFromTexts(
		profile,
		profile.fields.map((field) => {
			const cell = row[field.name];
			if (cell === undefined || cell === '') {
				return undefined;
			}

			return field.type === 'status' ? unguardText(cell) : cell;
		}),
	);
}
