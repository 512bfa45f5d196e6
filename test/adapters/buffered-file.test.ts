import {fstatSync, openSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {createBufferedFile} from '../../source/adapters/buffered-file.js';
import {openMetricsCsv} from '../../source/adapters/metrics-csv.js';
import {OutputError} from '../../source/adapters/output-error.js';
import {openParserErrorLog} from '../../source/adapters/parser-error-log.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {builtin, builtinReading} from '../helpers/builtin-reading.js';

const time = Date.parse('2026-11-24T10:00:00.123Z');
const reading = builtinReading({
	temperature: 20.5,
	voltage: 5,
	status: 'NORMAL',
	level: 'NORMAL',
});

test('writes are held until the buffer fills, flush() or close()', (t) => {
	const path = join(temporaryDirectory(t, 'buffered'), 'file');
	const file = createBufferedFile(openSync(path, 'w'), path, {bufferBytes: 30});
	file.write('one\n');
	file.write('two\n');
	t.is(readFileSync(path, 'utf8'), '', 'held');
	file.flush();
	t.is(readFileSync(path, 'utf8'), 'one\ntwo\n');
	// 3 bytes held, and 10 units may take 30: the held bytes go out first.
	file.write('é\n');
	file.write('ten units.');
	t.is(readFileSync(path, 'utf8'), 'one\ntwo\né\n');
	file.write('x'.repeat(100));
	t.is(
		readFileSync(path, 'utf8'),
		`one\ntwo\né\nten units.${'x'.repeat(100)}`,
		'text larger than the buffer goes straight out, in order',
	);
	file.write('end\n');
	file.close();
	t.is(
		readFileSync(path, 'utf8'),
		`one\ntwo\né\nten units.${'x'.repeat(100)}end\n`,
	);
});

test('a failed flush names the file; nothing is written after it; close still closes', (t) => {
	// Every write to /dev/full fails with ENOSPC.
	const fd = openSync('/dev/full', 'w');
	const file = createBufferedFile(fd, '/dev/full');
	file.write('held\n');
	const error = t.throws(() => {
		file.flush();
	});
	t.true(error instanceof OutputError);
	t.regex(error.message, /^cannot write \/dev\/full: ENOSPC.*Free some space/);
	t.throws(
		() => {
			file.write('more\n');
		},
		{is: error},
		'refused after the failure',
	);
	t.notThrows(() => {
		file.close();
	}, 'the failure was told already');
	t.throws(() => fstatSync(fd), {code: 'EBADF'}, 'closed');
});

test('live, each append is in the file at once (tail -f); batched (replay), at flush', (t) => {
	const dir = temporaryDirectory(t, 'batched');
	const live = openMetricsCsv(join(dir, 'live.csv'), builtin);
	const batched = openMetricsCsv(join(dir, 'batched.csv'), builtin, {
		truncate: true,
		batched: true,
	});
	const liveErrors = openParserErrorLog(join(dir, 'live.log'));
	const batchedErrors = openParserErrorLog(join(dir, 'batched.log'), {
		truncate: true,
		batched: true,
	});
	for (const csv of [live, batched]) {
		csv.append([{time, line: 1, reading}]);
	}

	for (const log of [liveErrors, batchedErrors]) {
		log.append([
			{time, line: 2, bytes: new Uint8Array([0x41]), reason: 'missing T'},
		]);
	}

	const row = '2026-11-24T10:00:00.123Z,20.5,5,NORMAL,1\r\n';
	const header = 'timestamp,temperature,voltage,status,raw_line\r\n';
	const error = '2026-11-24T10:00:00.123Z\tmissing T\tA\t2\n';
	t.is(readFileSync(join(dir, 'live.csv'), 'utf8'), header + row);
	t.is(readFileSync(join(dir, 'live.log'), 'utf8'), error);
	t.is(readFileSync(join(dir, 'batched.csv'), 'utf8'), '');
	t.is(readFileSync(join(dir, 'batched.log'), 'utf8'), '');
	batched.flush();
	batchedErrors.flush();
	t.is(readFileSync(join(dir, 'batched.csv'), 'utf8'), header + row);
	t.is(readFileSync(join(dir, 'batched.log'), 'utf8'), error);
	for (const file of [live, batched, liveErrors, batchedErrors]) {
		file.close();
	}
});

test('a CSV on a full disk: the header write at open names the file, as before', (t) => {
	const error = t.throws(() =>
		openMetricsCsv('/dev/full', builtin, {truncate: true}),
	);
	t.regex(error.message, /^cannot write \/dev\/full: ENOSPC/);
});
