import test from 'ava';
import {parse} from 'csv-parse/sync';
import {stringify} from 'csv-stringify/sync';
import fc from 'fast-check';
import {csvRecord} from '../../source/core/csv-record.js';

// Text rich in what needs quoting: commas, quotes, CRLF (a lone CR or LF: see below).
const field = fc.oneof(
	fc.string().filter((text) => !/[\r\n]/.test(text)),
	fc
		.array(fc.constantFrom('a', ',', '"', '\r\n', ' ', 'é'))
		.map((units) => units.join('')),
	fc.double({noNaN: true, noDefaultInfinity: true}),
	fc.integer(),
);

test('a record is what csv-stringify writes with CRLF, quotes and all', (t) => {
	fc.assert(
		fc.property(fc.array(field, {minLength: 1, maxLength: 6}), (fields) => {
			t.is(
				csvRecord(fields),
				stringify([fields], {record_delimiter: 'windows'}),
			);
		}),
		{numRuns: 2000},
	);
});

test('csv-parse reads a record back field for field', (t) => {
	fc.assert(
		fc.property(
			fc.array(
				fc.string({
					unit: fc.constantFrom('a', 'Z', ',', '"', '\r', '\n', ' ', '9'),
				}),
				{minLength: 2, maxLength: 6},
			),
			(fields) => {
				t.deepEqual(parse(csvRecord(fields), {record_delimiter: '\r\n'}), [
					fields,
				]);
			},
		),
		{numRuns: 2000},
	);
});

test('quoting: only fields that need it, quotes doubled; a lone CR or LF is quoted too', (t) => {
	t.is(
		csvRecord(['plain', 'a,b', 'say "hi"', 'two\nlines', 'c\rr', -1.5]),
		'plain,"a,b","say ""hi""","two\nlines","c\rr",-1.5\r\n',
	);
	// csv-stringify quotes only the record delimiter itself (CRLF).
	t.is(
		stringify([['two\nlines']], {record_delimiter: 'windows'}),
		'two\nlines\r\n',
	);
});
