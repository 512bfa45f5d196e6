import test from 'ava';
import fc from 'fast-check';
import type {IncidentEvent} from '../../source/core/incident.js';
import {
	at,
	drive,
	normal,
	summary,
	thresholdsWith,
} from '../helpers/detector-driver.js';

const rapid = (events: IncidentEvent[]) =>
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
		thresholdsWith((x) => {
			x.heartbeat_timeout_s = 2;
		}),
	);
	t.deepEqual(rapid(run.line(3, normal(40))), []);
});

test('an incident open when the data stops resolves at the first reading after the silence', (t) => {
	const run = drive();
	run.line(0, normal(20));
	run.line(1, normal(40));
	run.tick(8);
	const events = run.line(8, normal(60));
	t.deepEqual(rapid(events), ['resolved RAPID_CHANGE_TEMP WARNING']);
	t.like(
		events.find(({incident}) => incident.type === 'RAPID_CHANGE_TEMP')
			?.incident,
		{end: at(8), last_line: 2},
	);
});

test('after a reconnect the next reading is not compared; the one after it is', (t) => {
	const run = drive();
	run.line(0, normal(20));
	run.detector.reconnected();
	t.deepEqual(run.line(1, normal(40)), []);
	t.deepEqual(rapid(run.line(2, normal(60))), [
		'fired RAPID_CHANGE_TEMP WARNING',
	]);
});

test('a reconnect changes nothing else: a breach stays open, the heartbeat goes on', (t) => {
	const run = drive();
	run.line(0, 'T:85,V:5,S:CRITICAL_TEMP');
	run.detector.reconnected();
	t.deepEqual(run.line(1, 'T:86,V:5,S:CRITICAL_TEMP'), []);
	t.deepEqual(summary(run.tick(6.5)), ['fired HEARTBEAT_LOSS CRITICAL']);
	t.is(run.report(6.5).length, 3);
});

test('property: a reconnect after a silence longer than the timeout changes nothing, which is why replay matches such a run', (t) => {
	const step = fc.tuple(
		fc.integer({min: 0, max: 8000}),
		fc.oneof(
			fc.constant('garbage'),
			fc.integer({min: 0, max: 1000}).map((tenths) => normal(tenths / 10)),
		),
		fc.boolean(),
	);
	t.notThrows(() => {
		fc.assert(
			fc.property(fc.array(step, {minLength: 1, maxLength: 40}), (steps) => {
				const live = drive();
				const replay = drive();
				let seconds = 0;
				let lastReadingAt = Number.NEGATIVE_INFINITY;
				for (const [gapMs, text, reconnect] of steps) {
					seconds += gapMs / 1000;
					live.tick(seconds);
					replay.tick(seconds);
					if (reconnect && seconds - lastReadingAt > 5) {
						live.detector.reconnected();
					}

					live.line(seconds, text);
					replay.line(seconds, text);
					if (text !== 'garbage') {
						lastReadingAt = seconds;
					}
				}

				return (
					JSON.stringify(live.report(seconds)) ===
					JSON.stringify(replay.report(seconds))
				);
			}),
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
