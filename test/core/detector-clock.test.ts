// A wall clock stepped back (NTP, a hand-set clock) and lines with identical time stamps:
// no duration, rate or peak comes out negative, NaN or Infinity.
import test from 'ava';
import {
	at,
	drive,
	normal,
	t0,
	thresholdsWith,
} from '../helpers/detector-driver.js';

/** Every number anywhere in the value, with where it is. */
function numbersIn(value: unknown, path = '$'): Array<[string, number]> {
	if (typeof value === 'number') {
		return [[path, value]];
	}

	if (Array.isArray(value)) {
		return value.flatMap((item, index) => numbersIn(item, `${path}[${index}]`));
	}

	if (value && typeof value === 'object') {
		return Object.entries(value).flatMap(([key, item]) =>
			numbersIn(item, `${path}.${key}`),
		);
	}

	return [];
}

test('a clock stepped back an hour, and identical time stamps: every number finite, every duration non-negative', (t) => {
	const thresholds = thresholdsWith((thresholds) => {
		thresholds.temperature.for_s = 2;
		thresholds.heartbeat_timeout_s = 5;
		thresholds.parse_errors.max_per_min = 2;
	});
	const d = drive(thresholds);
	const events = [
		...d.line(0, normal(25)),
		...d.line(1, normal(50)),
		...d.line(2, normal(90)),
		// The clock steps back an hour, mid-breach.
		...d.line(-3600, normal(91)),
		...d.line(-3600, normal(92)),
		...d.line(-3600, 'garbage'),
		...d.line(-3600, 'garbage'),
		...d.line(-3600, 'garbage'),
		...d.tick(-3599),
		...d.line(-3598, normal(30)),
		...d.tick(-3590),
		// A silence across another step back.
		...d.tick(-7200),
		...d.line(-7190, normal(31)),
		...d.line(-7190, normal(70)),
	];
	const report = d.report(-7189);
	const all = {events, report};
	const bad = numbersIn(all).filter(([, value]) => !Number.isFinite(value));
	t.deepEqual(bad, []);
	const text = JSON.stringify(all);
	t.notRegex(text, /NaN|Infinity|-\d+(?:\.\d+)? ?(?:s|ms|min)\b/);
	t.deepEqual(
		report.filter(
			(entry) =>
				entry.end !== null &&
				Date.parse(entry.end) < Date.parse(entry.timestamp),
		),
		[],
	);
});

test('after the clock steps back an hour, a silence is noticed at the timeout, not an hour later', (t) => {
	const d = drive(
		thresholdsWith((thresholds) => {
			thresholds.heartbeat_timeout_s = 5;
		}),
	);
	d.line(0, normal());
	d.line(1, normal());
	// The wall clock goes back an hour between two lines; then the device falls silent.
	d.line(-3600, normal());
	t.deepEqual(d.tick(-3596), []);
	const fired = d.tick(-3594);
	t.is(fired.length, 1);
	t.like(fired[0]?.incident, {type: 'HEARTBEAT_LOSS', first_line: 3});
	// On the rules' time line the last line came at 1 s: the silence fired 5 s on.
	t.is(fired[0]?.incident.timestamp, at(6));
	const resolved = d.line(-3590, normal());
	t.like(resolved[0]?.incident, {
		type: 'HEARTBEAT_LOSS',
		peak: 10,
		end: at(11),
	});
});

test('identical time stamps: a rapid change between them is measured, with no division by zero', (t) => {
	const d = drive();
	d.line(0, normal(25));
	const events = d.line(0, normal(60));
	t.like(events[0]?.incident, {type: 'RAPID_CHANGE_TEMP', peak: 35});
	t.deepEqual(
		numbersIn(d.report(0)).filter(([, value]) => !Number.isFinite(value)),
		[],
	);
});

test('reportEntries(now) gives report(now), an ongoing silence across a clock stepped back included', (t) => {
	const d = drive();
	d.line(0, normal(25));
	// The clock steps back an hour, then the device falls silent past the timeout.
	d.line(-3600, normal(25));
	d.tick(-3590);
	const now = t0 - 3588 * 1000;
	const report = d.detector.report(now);
	t.like(report, [{type: 'HEARTBEAT_LOSS', end: null, peak: 12}]);
	t.deepEqual([...d.detector.reportEntries(now)], report);
});
