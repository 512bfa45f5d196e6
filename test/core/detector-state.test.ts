import {Buffer} from 'node:buffer';
import test from 'ava';
import fc from 'fast-check';
import {
	createClosedIncidentsInMemory,
	mergeInReportOrder,
	type ClosedIncidents,
} from '../../source/core/closed-incidents.js';
import {createDetector} from '../../source/core/detector.js';
import type {ReportEntry} from '../../source/core/incident.js';
import {parseLine} from '../helpers/tvs-line.js';
import {compareEntries} from '../../source/core/report-entry.js';
import {t0, thresholdsWith} from '../helpers/detector-driver.js';
import {limits} from '../helpers/limits.js';
import {builtinSettings, asReading} from '../helpers/builtin-settings.js';

// Drafts waiting out for_s, a warning band with hysteresis, an error rate that fires often.
const thresholds = thresholdsWith((next) => {
	next.temperature.for_s = 1;
	next.temperature.clear_margin_c = 2;
	next.voltage.for_s = 0.5;
	next.parse_errors.max_per_min = 2;
	next.heartbeat_timeout_s = 3;
});

const line = fc.oneof(
	fc.constantFrom('garbage', 'T:20,V:5,S:NORMAL', 'T:99,V:5,S:CRITICAL_TEMP'),
	fc
		.tuple(
			fc.integer({min: 0, max: 1000}),
			fc.integer({min: 40, max: 60}),
			fc.constantFrom('NORMAL', 'WARNING_TEMP', 'CRITICAL', 'OFFLINE'),
		)
		.map(
			([tenths, volts, status]) =>
				`T:${tenths / 10},V:${volts / 10},S:${status}`,
		),
);
const steps = fc.array(
	fc.tuple(
		fc.oneof(
			fc.integer({min: 0, max: 1500}),
			fc.integer({min: 2500, max: 6000}),
		),
		line,
		fc.boolean(),
	),
	{minLength: 1, maxLength: 60},
);

/** A value written as JSON and read back, as a checkpoint file does. */
function throughJson<T>(value: T): T {
	// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion, unicorn/prefer-structured-clone -- the JSON round trip is what is tested
	return JSON.parse(JSON.stringify(value)) as T;
}

type Step = [gapMs: number, text: string, reconnect: boolean];

/** Plays the steps, ticking every 250 ms; at `split` the detector is saved as JSON and a new one goes on from it. */
function play(played: Step[], split: number | undefined, direct = false) {
	let closed: ClosedIncidents = createClosedIncidentsInMemory();
	let detector = createDetector(builtinSettings(thresholds), {closed});
	const events: string[] = [];
	let time = t0;
	let clock = t0;
	for (const [index, [gapMs, text, reconnect]] of played.entries()) {
		if (index === split) {
			const state = throughJson(detector.save());
			const copy = createClosedIncidentsInMemory();
			for (const entry of closed.entries()) {
				copy.add(entry);
			}

			closed = copy;
			detector = createDetector(builtinSettings(thresholds), {
				closed,
				state,
			});
		}

		time += gapMs;
		for (; clock <= time; clock += 250) {
			events.push(JSON.stringify(detector.tick(clock)));
		}

		if (reconnect) {
			detector.reconnected(time);
		}

		const result = parseLine(Buffer.from(text), limits);
		const line = index + 1;
		events.push(
			JSON.stringify(
				direct
					? result.ok
						? detector.observeReading(time, line, asReading(result.reading))
						: detector.observeError(time, line, result.reason)
					: detector.observe(
							result.ok
								? {time, line, reading: asReading(result.reading)}
								: {time, line, error: result.reason},
						),
			),
		);
	}

	events.push(JSON.stringify(detector.tick(time + 10_000)));
	return {
		events,
		report: JSON.stringify(detector.report(time + 10_000)),
		count: detector.incidentCount,
	};
}

test('property: a detector saved as JSON at any line and restored goes on exactly as one never interrupted', (t) => {
	t.notThrows(() => {
		fc.assert(
			fc.property(
				steps.chain((played) =>
					fc.tuple(
						fc.constant(played),
						fc.integer({min: 0, max: played.length - 1}),
					),
				),
				([played, split]) => {
					const whole = play(played, undefined);
					const restored = play(played, split);
					return (
						whole.report === restored.report &&
						whole.count === restored.count &&
						whole.events.join('\n') === restored.events.join('\n')
					);
				},
			),
			{numRuns: 300},
		);
	});
});

test('property: observeReading and observeError do what observe does with the same line, saved and restored or not', (t) => {
	t.notThrows(() => {
		fc.assert(
			fc.property(
				steps.chain((played) =>
					fc.tuple(
						fc.constant(played),
						fc.integer({min: 0, max: played.length - 1}),
					),
				),
				([played, split]) => {
					const viaInput = play(played, undefined);
					const direct = play(played, split, true);
					return (
						viaInput.report === direct.report &&
						viaInput.count === direct.count &&
						viaInput.events.join('\n') === direct.events.join('\n')
					);
				},
			),
			{numRuns: 200},
		);
	});
});

test('a save holds the open incidents and drafts, not the closed ones, and survives JSON', (t) => {
	const closed = createClosedIncidentsInMemory();
	const detector = createDetector(builtinSettings(thresholds), {closed});
	const observe = (seconds: number, text: string, line: number) => {
		const result = parseLine(Buffer.from(text), limits);
		if (!result.ok) {
			throw new Error(result.reason);
		}

		return detector.observe({
			time: t0 + seconds * 1000,
			line,
			reading: asReading(result.reading),
		});
	};

	observe(0, 'T:20,V:5,S:NORMAL', 1);
	observe(1, 'T:20,V:6,S:NORMAL', 2);
	observe(1.6, 'T:20,V:6,S:NORMAL', 3); // Fires after for_s 0.5 s.
	observe(2, 'T:20,V:5,S:NORMAL', 4); // Resolves: closed.
	observe(3, 'T:20,V:6.5,S:NORMAL', 5); // Waits out for_s: a draft.
	const state = detector.save();
	// The voltage breach, and the device's NORMAL status that disagreed with it.
	t.deepEqual(
		[...closed.entries()].map(({type}) => type),
		['THRESHOLD_BREACH_VOLTAGE', 'STATUS_MISMATCH'],
	);
	t.false(state.rules['THRESHOLD_BREACH_VOLTAGE']?.tracker?.fired);
	t.is(state.rules['THRESHOLD_BREACH_VOLTAGE']?.tracker?.draft?.firstLine, 5);
	t.is(state.latest, t0 + 3000);
	t.is(state.retunedAt, null);
	const restored = createDetector(builtinSettings(thresholds), {
		closed,
		state: throughJson(state),
	});
	const events = restored.observe({
		time: t0 + 4000,
		line: 6,
		reading: {values: [20, 6.5, 'NORMAL'], level: 'NORMAL'},
	});
	t.deepEqual(
		events.map(({event, incident}) => [
			event,
			incident.type,
			incident.first_line,
		]),
		[
			['fired', 'THRESHOLD_BREACH_VOLTAGE', 5],
			['fired', 'STATUS_MISMATCH', 6],
		],
	);
	t.is(restored.incidentCount, 4);
});

test('merge in report order: by start, then rule, stable within a stream', (t) => {
	const entry = (
		timestamp: string,
		type: ReportEntry['type'],
		id: string,
	): ReportEntry => ({
		timestamp,
		type,
		id,
		severity: 'WARNING',
		description: '',
		end: null,
		value: null,
		peak: null,
		threshold: null,
		readings: 1,
		first_line: null,
		last_line: null,
	});
	const temperature = [
		entry('2026-01-01T00:00:01.000Z', 'THRESHOLD_BREACH_TEMP', 'a'),
		entry('2026-01-01T00:00:01.000Z', 'THRESHOLD_BREACH_TEMP', 'b'),
		entry('2026-01-01T00:00:05.000Z', 'THRESHOLD_BREACH_TEMP', 'c'),
	];
	const heartbeat = [
		entry('2026-01-01T00:00:00.500Z', 'HEARTBEAT_LOSS', 'd'),
		entry('2026-01-01T00:00:01.000Z', 'HEARTBEAT_LOSS', 'e'),
	];
	const merged = [...mergeInReportOrder([heartbeat, [], temperature])];
	t.deepEqual(
		merged.map(({id}) => id),
		['d', 'a', 'b', 'e', 'c'],
	);
	t.deepEqual(merged, [...temperature, ...heartbeat].toSorted(compareEntries));
});
