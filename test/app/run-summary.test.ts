import test from 'ava';
import {formatSummary} from '../../source/app/run-summary.js';
import {emptyReportSummary} from '../../source/core/report-summary.js';

test('the summary ends with each integration: what it delivered, and FAILING with the reason', (t) => {
	const text = formatSummary({
		source: '/dev/ttyUSB0',
		seconds: 12,
		stats: {lines: 3, valid: 2, malformed: 1},
		report: emptyReportSummary(),
		paths: {raw: 'data/raw.log'},
		integrations: [
			{name: 'pagerduty', ok: true, detail: '4 sent'},
			{name: 'slack', ok: false, detail: 'HTTP 404, not retried; 2 failed'},
		],
	});
	t.deepEqual(text.split('\n').slice(-3), [
		'pagerduty: 4 sent',
		'slack: FAILING: HTTP 404, not retried; 2 failed',
		'',
	]);
	t.true(
		text.startsWith(
			'serialwatch: 3 lines (2 valid, 1 malformed) from /dev/ttyUSB0 in 12.0 s',
		),
	);
});

test('one line and one skipped line are said in the singular', (t) => {
	const text = formatSummary({
		source: 'raw.log',
		skipped: 1,
		stats: {lines: 1, valid: 1, malformed: 0},
		report: emptyReportSummary(),
		paths: {raw: undefined},
	});
	t.true(
		text.startsWith(
			'serialwatch: 1 line (1 valid, 0 malformed) from raw.log, 1 line skipped\n',
		),
		`${text}`,
	);
});
