// The rebuilt detector, given the built-in device's settings, against a frozen copy of the
// detector it replaced: for random lines, gaps, ticks, reconnects, retunes and a checkpoint
// round trip, every event, every report entry and the incident count are the same bytes.
import {Buffer} from 'node:buffer';
import test from 'ava';
import fc from 'fast-check';
import {createClosedIncidentsInMemory} from '../../source/core/closed-incidents.js';
import {createDetector} from '../../source/core/detector.js';
import type {
	IncidentEvent,
	ReportEntry,
	Thresholds,
} from '../../source/core/incident.js';
import {parseLine} from '../helpers/tvs-line.js';
import {asReading, builtinSettings} from '../helpers/builtin-settings.js';
import {t0} from '../helpers/detector-driver.js';
import {createDetector as createLegacyDetector} from '../helpers/legacy-detector/detector.js';
import {limits} from '../helpers/limits.js';

const thresholds: fc.Arbitrary<Thresholds> = fc
	.record({
		max: fc.integer({min: 40, max: 90}),
		// Null, below max_c, or at or above it (no warning band).
		warn: fc.oneof(fc.constant(null), fc.integer({min: 20, max: 70})),
		change: fc.integer({min: 2, max: 30}),
		tempFor: fc.constantFrom(0, 0.5, 1, 3),
		tempMargin: fc.constantFrom(0, 0.5, 2),
		min: fc.integer({min: 40, max: 48}),
		maxV: fc.integer({min: 52, max: 60}),
		voltFor: fc.constantFrom(0, 0.5, 2),
		voltMargin: fc.constantFrom(0, 0.1, 0.3),
		heartbeat: fc.constantFrom(1, 3, 5),
		errors: fc.integer({min: 0, max: 4}),
	})
	.map((x) => ({
		temperature: {
			max_c: x.max,
			warn_c: x.warn,
			max_change_c: x.change,
			for_s: x.tempFor,
			clear_margin_c: x.tempMargin,
		},
		voltage: {
			min_v: x.min / 10,
			max_v: x.maxV / 10,
			for_s: x.voltFor,
			clear_margin_v: x.voltMargin,
		},
		heartbeat_timeout_s: x.heartbeat,
		parse_errors: {max_per_min: x.errors},
	}));

const line = fc.oneof(
	fc.constantFrom('garbage', 'T:1,V:5', 'T:20,V:5,S:NORMAL'),
	fc
		.tuple(
			fc.integer({min: -100, max: 1200}),
			fc.integer({min: 30, max: 70}),
			fc.constantFrom(
				'NORMAL',
				'NORMAL',
				'WARNING_TEMP',
				'CRITICAL',
				'OFFLINE',
			),
		)
		.map(
			([tenths, volts, status]) =>
				`T:${tenths / 10},V:${volts / 10},S:${status}`,
		),
);

type Step = {
	gapMs: number;
	text: string;
	/** Ticks between the previous line and this one. */
	ticks: number;
	reconnect: boolean;
	/** Clock stepped back before this line by this many ms (0: none). */
	stepBack: number;
	retune: Thresholds | undefined;
};

const step: fc.Arbitrary<Step> = fc.record({
	gapMs: fc.oneof(
		fc.integer({min: 0, max: 1500}),
		fc.integer({min: 900, max: 7000}),
	),
	text: line,
	ticks: fc.integer({min: 0, max: 3}),
	reconnect: fc.boolean(),
	stepBack: fc.oneof(
		{weight: 9, arbitrary: fc.constant(0)},
		{weight: 1, arbitrary: fc.integer({min: 1, max: 5000})},
	),
	retune: fc.option(thresholds, {freq: 6}),
});

type Pair = {
	events: string[];
	report: string;
	active: string;
	count: number;
};

/** One detector as play() drives it: the legacy one, or the rebuilt one. */
type Runner = {
	observe(time: number, line: number, text: string): readonly IncidentEvent[];
	tick(now: number): readonly IncidentEvent[];
	reconnected(now: number): void;
	retune(next: Thresholds): void;
	report(now: number): ReportEntry[];
	active(now: number): ReportEntry[];
	count(): number;
	/** Save to JSON and go on from a detector restored from it (the legacy one never does). */
	restore(): void;
};

function legacyRunner(initial: Thresholds): Runner {
	const detector = createLegacyDetector(initial);
	return {
		observe(time, line, text) {
			const result = parseLine(Buffer.from(text), limits);
			return detector.observe(
				result.ok
					? {time, line, reading: result.reading}
					: {time, line, error: result.reason},
			);
		},
		tick: (now) => detector.tick(now),
		reconnected(now) {
			detector.reconnected(now);
		},
		retune(next) {
			detector.retune(next);
		},
		report: (now) => detector.report(now),
		active: (now) => detector.active(now),
		count: () => detector.incidentCount,
		restore() {
			// The reference goes on uninterrupted.
		},
	};
}

function rebuiltRunner(initial: Thresholds): Runner {
	let closed = createClosedIncidentsInMemory();
	let detector = createDetector(builtinSettings(initial), {closed});
	return {
		observe(time, line, text) {
			const result = parseLine(Buffer.from(text), limits);
			return result.ok
				? detector.observeReading(time, line, asReading(result.reading))
				: detector.observeError(time, line, result.reason);
		},
		tick: (now) => detector.tick(now),
		reconnected(now) {
			detector.reconnected(now);
		},
		retune(next) {
			detector.retune(builtinSettings(next));
		},
		report: (now) => detector.report(now),
		active: (now) => detector.active(now),
		count: () => detector.incidentCount,
		restore() {
			const state = throughJson(detector.save());
			const copy = createClosedIncidentsInMemory();
			for (const entry of closed.entries()) {
				copy.add(entry);
			}

			closed = copy;
			detector = createDetector(builtinSettings(initial), {closed, state});
		},
	};
}

/** A value written as JSON and read back, as a checkpoint file does. */
function throughJson<T>(value: T): T {
	// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion, unicorn/prefer-structured-clone -- the JSON round trip is what is tested
	return JSON.parse(JSON.stringify(value)) as T;
}

function play(detector: Runner, steps: readonly Step[], split: number): Pair {
	const events: string[] = [];
	let time = t0;
	for (const [
		index,
		{gapMs, text, ticks, reconnect, stepBack, retune},
	] of steps.entries()) {
		if (index === split) {
			detector.restore();
		}

		const from = time;
		time += gapMs;
		for (let tick = 1; tick <= ticks; tick++) {
			events.push(
				JSON.stringify(detector.tick(from + (gapMs * tick) / (ticks + 1))),
			);
		}

		if (retune) {
			detector.retune(retune);
		}

		if (reconnect) {
			detector.reconnected(time);
		}

		time -= stepBack;
		events.push(JSON.stringify(detector.observe(time, index + 1, text)));
	}

	events.push(JSON.stringify(detector.tick(time + 10_000)));
	return {
		events,
		report: JSON.stringify(detector.report(time + 20_000)),
		active: JSON.stringify(detector.active(time + 20_000)),
		count: detector.count(),
	};
}

test("property: with the built-in settings, events, report and count equal the legacy detector's byte for byte, through retunes, reconnects, clock steps and a checkpoint", (t) => {
	t.notThrows(() => {
		fc.assert(
			fc.property(
				thresholds,
				fc.array(step, {minLength: 1, maxLength: 80}),
				fc.nat(),
				(initial, steps, at) => {
					const legacy = play(legacyRunner(initial), steps, -1);
					const rebuilt = play(
						rebuiltRunner(initial),
						steps,
						at % (steps.length + 1),
					);
					return (
						legacy.events.join('\n') === rebuilt.events.join('\n') &&
						legacy.report === rebuilt.report &&
						legacy.active === rebuilt.active &&
						legacy.count === rebuilt.count
					);
				},
			),
			{numRuns: 500},
		);
	});
});
