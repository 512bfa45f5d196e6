import process from 'node:process';
import test from 'ava';
import {
	formatClock,
	formatClockMs,
	wrapText,
	zoneLabel,
} from '../../source/ui/format.js';

// This file runs in its own process: a zone with a half-hour offset, east of Greenwich.
process.env['TZ'] = 'Asia/Kolkata';

const time = Date.parse('2026-11-25T10:02:11.045Z');

test('times of day in UTC, as the files have them, or in local time with its offset', (t) => {
	t.is(formatClock(time, 'utc'), '10:02:11');
	t.is(zoneLabel(time, 'utc'), 'UTC');
	t.is(formatClockMs(time, 'utc'), '10:02:11.045');
	t.is(formatClock(time, 'local'), '15:32:11');
	t.is(zoneLabel(time, 'local'), 'UTC+05:30');
	t.is(formatClockMs(time, 'local'), '15:32:11.045');
});

test('a zone west of Greenwich has a negative offset', (t) => {
	const before = process.env['TZ'];
	process.env['TZ'] = 'America/St_Johns';
	try {
		t.is(zoneLabel(time, 'local'), 'UTC-03:30');
		t.is(formatClock(time, 'local'), '06:32:11');
	} finally {
		process.env['TZ'] = before;
	}
});

test('wrapText breaks at spaces, cuts a word longer than a line, and bounds the lines', (t) => {
	t.deepEqual(wrapText('one two three four', 9, 3), [
		'one two',
		'three',
		'four',
	]);
	t.deepEqual(wrapText('abcdefghijkl mn', 5, 4), ['abcde', 'fghij', 'kl mn']);
	t.deepEqual(wrapText('one two three four five', 9, 2), [
		'one two',
		'three fo…',
	]);
	t.deepEqual(wrapText('short', 80, 3), ['short']);
	t.deepEqual(wrapText('', 80, 3), []);
});
