import test from 'ava';
import fc from 'fast-check';
import type {IncidentEvent} from '../../source/core/incident.js';
import {
	builtinSettings,
	at,
	drive,
	normal,
	summary,
	t0,
	thresholdsWith,
} from '../helpers/detector-driver.js';

const rapid = (events: readonly IncidentEvent[]) =>
	summary(events.filter(({incident}) => incident.type === 'RAPID_CHANGE_TEMP'));

test('rapid change compares readings up to heartbeat_timeout_s apart, not across a longer silence', (t) => {
	const run = drive();
	run.line(0, normal(20));
	t.deepEqual(rapid(run.line(5, normal(40))), [
		'fired RAPID_CHANGE_TEMP WARNING',
	]);
	t.deepEqual(rapid(run.line(6, normal(40))), [
		'resolved RAPID_CHANGE_TEMP WARNING',
	]);
	run.tick(11.5);
	const back = run.line(11.5, normal(20));
	t.deepEqual(summary(back), ['resolved HEARTBEAT_LOSS CRITICAL']);
	t.deepEqual(rapid(run.line(12, normal(40))), [
		'fired RAPID_CHANGE_TEMP WARNING',
	]);
});

test('malformed lines keep the heartbeat but do not bridge readings further apart than the timeout', (t) => {
	const run = drive();
	run.line(0, normal(20));
	run.line(2, 'garbage');
	run.line(4, 'garbage');
	run.line(6, 'garbage');
	run.tick(7);
	t.deepEqual(summary(run.line(7, normal(40))), []);
	t.deepEqual(run.report(7), []);
});

test('the timeout in force when the reading comes decides, after a retune too', (t) => {
	const run = drive();
	run.line(0, normal(20));
	run.detector.retune(
		builtinSettings(
			thresholdsWith((x) => {
				x.heartbeat_timeout_s = 2;
			}),
		),
	);
	t.deepEqual(rapid(run.line(3, normal(40))), []);
});

const rapidEntry = (events: readonly IncidentEvent[]) =>
	events.find(({incident}) => incident.type === 'RAPID_CHANGE_TEMP')?.incident;

test('a rapid change open when the data stops ends as the silence becomes a heartbeat loss, not at the next reading', (t) => {
	const run = drive();
	run.line(0, normal(20));
	run.line(1, normal(40));
	const silence = run.tick(8);
	t.deepEqual(summary(silence), [
		'resolved RAPID_CHANGE_TEMP WARNING',
		'fired HEARTBEAT_LOSS CRITICAL',
	]);
	t.like(rapidEntry(silence), {end: at(6), last_line: 2, readings: 1});
	t.deepEqual(rapid(run.line(8, normal(60))), []);
	const report = run.report(8);
	const loss = report.find((entry) => entry.type === 'HEARTBEAT_LOSS');
	t.is(loss?.timestamp, at(6));
	t.like(
		report.find((entry) => entry.type === 'RAPID_CHANGE_TEMP'),
		{timestamp: at(1), end: loss?.timestamp},
	);
});

test('with no tick in the silence (a replay), the next line ends the rapid change at the same instant', (t) => {
	const run = drive();
	run.line(0, normal(20));
	run.line(1, normal(40));
	const events = run.line(8, 'garbage');
	t.deepEqual(summary(events), [
		'resolved RAPID_CHANGE_TEMP WARNING',
		'fired HEARTBEAT_LOSS CRITICAL',
		'resolved HEARTBEAT_LOSS CRITICAL',
	]);
	t.like(rapidEntry(events), {end: at(6)});
});

test('a rapid change holds through a silence within the timeout, and the next reading decides', (t) => {
	const run = drive();
	run.line(0, normal(20));
	run.line(1, normal(40));
	t.deepEqual(
		run.tick(6),
		[],
		'exactly the timeout: a reading now is still compared',
	);
	t.deepEqual(run.line(6, normal(60)), [], 'another jump: the same incident');
	const events = run.line(7, normal(60));
	t.like(rapidEntry(events), {end: at(7), readings: 2, last_line: 3});
});

test('malformed lines keep the heartbeat but not the rapid change: it ends when the next reading could no longer be compared', (t) => {
	const run = drive();
	run.line(0, normal(20));
	run.line(1, normal(40));
	run.line(4, 'garbage');
	const events = run.tick(7);
	t.deepEqual(summary(events), ['resolved RAPID_CHANGE_TEMP WARNING']);
	t.like(rapidEntry(events), {end: at(6)});
});

test('a reconnect ends an open rapid change at the reconnect, reported by the next tick', (t) => {
	const run = drive();
	run.line(0, normal(20));
	run.line(1, normal(40));
	run.detector.reconnected(t0 + 2500);
	const events = run.tick(3);
	t.deepEqual(rapid(events), ['resolved RAPID_CHANGE_TEMP WARNING']);
	t.like(rapidEntry(events), {end: at(2.5)});
	t.deepEqual(run.line(3, normal(60)), [], 'not compared: nothing new');
});

test('a reconnect after the silence had already ended it, though no tick had seen that, stamps the silence', (t) => {
	const run = drive();
	run.line(0, normal(20));
	run.line(1, normal(40));
	run.detector.reconnected(t0 + 9000);
	const events = run.line(9, normal(40));
	t.like(rapidEntry(events), {end: at(6)});
	t.is(run.report(9).length, 2);
});

test('a shortened timeout ends a rapid change whose silence is already longer at the retune, as it does the heartbeat', (t) => {
	const run = drive();
	run.line(0, normal(20));
	run.line(1, normal(40));
	run.tick(4);
	run.detector.retune(
		builtinSettings(
			thresholdsWith((x) => {
				x.heartbeat_timeout_s = 2;
			}),
		),
	);
	const events = run.tick(4.25);
	t.deepEqual(summary(events), [
		'resolved RAPID_CHANGE_TEMP WARNING',
		'fired HEARTBEAT_LOSS CRITICAL',
	]);
	t.like(rapidEntry(events), {end: at(4)});
	t.is(events[1]?.incident.timestamp, at(4));
});

test('after a reconnect the next reading is not compared; the one after it is', (t) => {
	const run = drive();
	run.line(0, normal(20));
	run.detector.reconnected(t0 + 1000);
	t.deepEqual(run.line(1, normal(40)), []);
	t.deepEqual(rapid(run.line(2, normal(60))), [
		'fired RAPID_CHANGE_TEMP WARNING',
	]);
});

test('a reconnect changes nothing else: a breach stays open, the heartbeat goes on', (t) => {
	const run = drive();
	run.line(0, 'T:85,V:5,S:CRITICAL_TEMP');
	run.detector.reconnected(t0 + 500);
	t.deepEqual(run.line(1, 'T:86,V:5,S:CRITICAL_TEMP'), []);
	t.deepEqual(summary(run.tick(6.5)), ['fired HEARTBEAT_LOSS CRITICAL']);
	t.is(run.report(6.5).length, 3);
});

type Step = [gapMs: number, text: string, reconnectAt: number | undefined];

const steps = fc.array(
	fc.tuple(
		// Mostly a steady stream, often a silence around the 5 s timeout.
		fc.oneof(
			fc.integer({min: 0, max: 2000}),
			fc.integer({min: 4000, max: 9000}),
		),
		fc.oneof(
			{arbitrary: fc.constant('garbage'), weight: 1},
			{
				arbitrary: fc
					.integer({min: 0, max: 1000})
					.map((tenths) => normal(tenths / 10)),
				weight: 3,
			},
		),
		// Where in the gap before the line the port reopened, if it did.
		fc.option(fc.double({min: 0, max: 1, noNaN: true}), {nil: undefined}),
	),
	{minLength: 1, maxLength: 40},
);

/**
 * Plays the steps, ticking every `tickS` (none: only at the lines, as a replay does) and
 * reconnecting where `reconnects` allows; returns the report a second past the last line.
 */
function play(
	played: Step[],
	tickS: number | undefined,
	reconnects: (at: number, lastReadingAt: number) => boolean,
) {
	const run = drive();
	let seconds = 0;
	let clock = 0;
	const tickThrough = (until: number) => {
		if (tickS === undefined) {
			return;
		}

		for (; clock <= until; clock += tickS) {
			run.tick(clock);
		}
	};

	let lastReadingAt = Number.NEGATIVE_INFINITY;
	for (const [gapMs, text, reconnectAt] of played) {
		const from = seconds;
		seconds += gapMs / 1000;
		if (reconnectAt !== undefined) {
			const reconnect = from + reconnectAt * (gapMs / 1000);
			tickThrough(reconnect);
			if (reconnects(reconnect, lastReadingAt)) {
				run.detector.reconnected(t0 + reconnect * 1000);
			}
		}

		tickThrough(seconds);
		run.line(seconds, text);
		if (text !== 'garbage') {
			lastReadingAt = seconds;
		}
	}

	run.tick(seconds + 1);
	return JSON.stringify(run.report(seconds + 1));
}

test('property: a reconnect after a silence longer than the timeout changes nothing, ticked or not, which is why replay matches such a run', (t) => {
	t.notThrows(() => {
		fc.assert(
			// No ticks at all between lines: a port opened right after taking up raw.log.
			fc.property(
				steps,
				fc.constantFrom(undefined, 0.1, 1, 3, 7),
				(played, tickS) => {
					const afterTimeout = (at: number, lastReadingAt: number) =>
						at - lastReadingAt > 5;
					return (
						play(played, tickS, afterTimeout) ===
						play(played, undefined, () => false)
					);
				},
			),
			{numRuns: 300},
		);
	});
});

test('property: with reconnects at any moment, live ticking at any interval gives the same report', (t) => {
	t.notThrows(() => {
		fc.assert(
			fc.property(
				steps,
				fc.constantFrom(0.1, 1, 3, 7),
				fc.constantFrom(0.25, 2, 5),
				(played, oneS, otherS) =>
					play(played, oneS, () => true) === play(played, otherS, () => true),
			),
			{numRuns: 300},
		);
	});
});

test('every event carries `at`: the time of the line or the tick that caused it', (t) => {
	const run = drive(
		thresholdsWith((x) => {
			x.parse_errors.max_per_min = 1;
		}),
	);
	const events: IncidentEvent[] = [
		...run.line(0, normal(60)),
		...run.line(1, 'T:72,V:5,S:NORMAL'),
		...run.line(2, 'T:85,V:5,S:NORMAL'),
		...run.line(3, 'T:72,V:5,S:NORMAL'),
		...run.line(4, normal(62)),
		...run.line(5, 'garbage'),
		...run.line(5.5, 'garbage'),
		...run.tick(11.25),
		...run.line(12, normal(62)),
		...run.tick(66),
	];
	const timeline = events.map(({event, at, incident}) => [
		`${event} ${incident.type}`,
		at,
	]);
	t.deepEqual(timeline, [
		['fired THRESHOLD_BREACH_TEMP', at(1)],
		['fired STATUS_MISMATCH', at(1)],
		['worsened THRESHOLD_BREACH_TEMP', at(2)],
		['resolved THRESHOLD_BREACH_TEMP', at(4)],
		['resolved STATUS_MISMATCH', at(4)],
		['fired PARSE_ERROR_RATE', at(5.5)],
		// Seen at the tick; the silence itself became a loss at 10.5 s, its start.
		['fired HEARTBEAT_LOSS', at(11.25)],
		['resolved HEARTBEAT_LOSS', at(12)],
		// The next tick, 54 s later, sees both a new silence and the rate fallen back (at 65 s).
		['fired HEARTBEAT_LOSS', at(66)],
		['resolved PARSE_ERROR_RATE', at(66)],
	]);
	const incident = (type: string) =>
		events.find((event) => event.incident.type === type)?.incident;
	t.is(incident('HEARTBEAT_LOSS')?.timestamp, at(10.5));
	t.is(incident('PARSE_ERROR_RATE')?.end, null, 'the fired event: still open');
	t.like(events.at(-1)?.incident, {end: at(65)});
});
