// The CSV and the error log left torn or short by a run that stopped between writes (a
// full disk, a kill): the next run's take-up of raw.log cuts the torn record and appends
// exactly what is missing, so that both hold what a replay of raw.log gives.
import {readFileSync, writeFileSync} from 'node:fs';
import test, {type ExecutionContext} from 'ava';
import {parseConfig} from '../../source/core/config.js';
import {
	openOutputFiles,
	outputPaths,
} from '../../source/adapters/output-files.js';
import {openRunHistory} from '../../source/app/run-history.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {builtin} from '../helpers/builtin-reading.js';

const header = 'timestamp,temperature,voltage,status,raw_line\r\n';

function rawLog(lines: string[]): string {
	return lines
		.map((line, index) => `2026-12-01T10:00:0${index}.000Z\t${line}\n`)
		.join('');
}

const raw = rawLog([
	'T:20.5,V:5.0,S:NORMAL',
	'garbage',
	'T:21,V:5.0,S:NORMAL',
	'T:22,V:5.0,S:NORMAL',
	'T:1',
]);
const fullCsv =
	header +
	'2026-12-01T10:00:00.000Z,20.5,5,NORMAL,1\r\n' +
	'2026-12-01T10:00:02.000Z,21,5,NORMAL,3\r\n' +
	'2026-12-01T10:00:03.000Z,22,5,NORMAL,4\r\n';
const fullErrors =
	"2026-12-01T10:00:01.000Z\tfield without ':': 'garbage'\tgarbage\t2\n" +
	'2026-12-01T10:00:04.000Z\tmissing V, S\tT:1\t5\n';

/** Writes the files, runs a start's take-up, returns the derived files' text. */
async function repair(
	t: ExecutionContext,
	files: {raw: string; csv?: string; errors?: string},
	configText = '',
) {
	const dir = temporaryDirectory(t, 'repair');
	const config = parseConfig(
		`output:\n  dir: ${dir}\n${configText}`,
		'config.yaml',
	);
	const paths = outputPaths(config.output);
	writeFileSync(paths.raw, files.raw);
	if (files.csv !== undefined) {
		writeFileSync(paths.metrics, files.csv);
	}

	if (files.errors !== undefined) {
		writeFileSync(paths.errors, files.errors);
	}

	const opened = openOutputFiles(paths, builtin);
	const history = openRunHistory({
		config,
		outputDir: dir,
		files: opened,
		rawPath: paths.raw,
		resume: {reason: 'no checkpoint'},
	});
	const {rows, errors} = await history.takeUp({
		signal: new AbortController().signal,
		onProgress() {
			// Not under test here.
		},
	});
	history.close();
	opened.close();
	return {
		added: {rows, errors},
		tails: {csv: opened.metrics.tail, errors: opened.errors.tail},
		csv: readFileSync(paths.metrics, 'utf8'),
		errors: readFileSync(paths.errors, 'utf8'),
	};
}

test('a CSV torn mid-row and an error log torn mid-record are cut, then completed from raw.log', async (t) => {
	const result = await repair(t, {
		raw,
		// The run died writing line 3's row, before line 4's and the error of line 5.
		csv: header + '2026-12-01T10:00:00.000Z,20.5,5,NORMAL,1\r\n2026-12-01T10:0',
		errors:
			"2026-12-01T10:00:01.000Z\tfield without ':': 'garbage'\tgarbage\t2\n2026-12",
	});
	t.is(result.csv, fullCsv);
	t.is(result.errors, fullErrors);
	t.deepEqual(result.added, {rows: 2, errors: 1});
	t.deepEqual(result.tails, {
		csv: {lastLine: 1, cutBytes: '2026-12-01T10:0'.length},
		errors: {lastLine: 2, cutBytes: '2026-12'.length},
	});
});

test('a row torn after its CR, or a header torn, is cut too', async (t) => {
	const afterCr = await repair(t, {
		raw,
		csv: header + '2026-12-01T10:00:00.000Z,20.5,5,NORMAL,1\r',
		errors: fullErrors,
	});
	t.is(afterCr.csv, fullCsv);
	t.is(afterCr.errors, fullErrors, 'a whole error log is left as it is');
	const tornHeader = await repair(t, {raw, csv: 'timest', errors: fullErrors});
	t.is(tornHeader.csv, fullCsv);
});

test('whole files that hold every line are left untouched; missing files are derived whole', async (t) => {
	const whole = await repair(t, {raw, csv: fullCsv, errors: fullErrors});
	t.deepEqual(whole.added, {rows: 0, errors: 0});
	t.is(whole.csv, fullCsv);
	t.is(whole.errors, fullErrors);
	const missing = await repair(t, {raw});
	t.is(missing.csv, fullCsv);
	t.is(missing.errors, fullErrors);
});

test('a last record longer than the tail first read is still found whole', async (t) => {
	const long = `T:${'9'.repeat(6000)}`;
	const longRaw = rawLog(['T:20.5,V:5.0,S:NORMAL', long, long, long, long]);
	const roomy = 'serial:\n  max_line_bytes: 8192\n';
	const first = await repair(t, {raw: longRaw}, roomy);
	// Everything but the last error record, and that one torn.
	const lines = first.errors.split('\n');
	const cut = `${lines.slice(0, 3).join('\n')}\n${lines[3]!.slice(0, 100)}`;
	const again = await repair(
		t,
		{raw: longRaw, csv: first.csv, errors: cut},
		roomy,
	);
	t.is(again.errors, first.errors);
	t.deepEqual(again.added, {rows: 0, errors: 1});
	t.true(
		lines[2]!.length > 4096,
		'the last whole record is longer than the first window',
	);
});

test('an error log of the older form (no line number) is cut if torn but not completed: its coverage is unknown', async (t) => {
	const older =
		"2026-12-01T10:00:01.000Z\tfield without ':': 'garbage'\tgarbage\n";
	const result = await repair(t, {
		raw,
		csv: fullCsv,
		errors: `${older}2026-12-01T10`,
	});
	t.is(result.errors, older);
	t.deepEqual(result.tails.errors, {
		lastLine: undefined,
		cutBytes: '2026-12-01T10'.length,
	});
});
