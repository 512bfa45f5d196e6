import test, {type ExecutionContext} from 'ava';
import {defaultConfig, type Config} from '../../source/core/config.js';
import {createDetector} from '../../source/core/detector.js';
import {
	createScenario,
	type EmulatorStep,
	type ScenarioOptions,
} from '../../source/core/emulator.js';
import type {IncidentType, ReportEntry} from '../../source/core/incident.js';
import {parseLine} from '../helpers/tvs-line.js';
import {limits} from '../helpers/limits.js';
import {builtinSettings, asReading} from '../helpers/builtin-settings.js';

const t0 = Date.parse('2026-11-24T10:00:00.000Z');

type Thresholds = Config['thresholds'];

type Played = {
	/** Every incident of the run, with start and end in seconds from the first line. */
	incidents: Array<{
		type: IncidentType;
		severity: ReportEntry['severity'];
		startS: number;
		endS: number | undefined;
	}>;
	steps: EmulatorStep[];
};

function tourOptions(
	thresholds: Thresholds,
	rateHz: number,
	tour = true,
): ScenarioOptions {
	return {
		seed: 42,
		heartbeatTimeoutS: thresholds.heartbeat_timeout_s,
		thresholds,
		rateHz,
		tour,
	};
}

/**
 * Plays mixed with the tour into parseLine and the detector for untilS seconds of simulated
 * time, as the runner paces it: a line every 1/rate s; after a silence the next line comes
 * its length after the last one. The detector is ticked at every line period, silences too.
 */
function play(thresholds: Thresholds, rateHz: number, untilS: number): Played {
	const detector = createDetector(builtinSettings(thresholds));
	const periodMs = 1000 / rateHz;
	const endMs = untilS * 1000;
	const steps: EmulatorStep[] = [];
	let now = 0;
	let lastLineAt = 0;
	let line = 0;
	for (const step of createScenario(
		{name: 'mixed'},
		tourOptions(thresholds, rateHz),
	)) {
		if (now > endMs) {
			break;
		}

		steps.push(step);
		if (step.kind === 'silence') {
			const resumeAt = lastLineAt + step.ms;
			for (; now < resumeAt; now += periodMs) {
				detector.tick(t0 + now);
			}

			now = resumeAt;
			continue;
		}

		detector.tick(t0 + now);
		line++;
		const result = parseLine(step.bytes, limits);
		detector.observe(
			result.ok
				? {time: t0 + now, line, reading: asReading(result.reading)}
				: {time: t0 + now, line, error: result.reason},
		);
		lastLineAt = now;
		now += periodMs;
	}

	detector.tick(t0 + endMs);
	const seconds = (iso: string) => (Date.parse(iso) - t0) / 1000;
	return {
		incidents: detector.report(t0 + endMs).map((entry) => ({
			type: entry.type,
			severity: entry.severity,
			startS: seconds(entry.timestamp),
			endS: entry.end === null ? undefined : seconds(entry.end),
		})),
		steps,
	};
}

const tourIncidents = [
	'THRESHOLD_BREACH_TEMP WARNING',
	'THRESHOLD_BREACH_TEMP CRITICAL',
	'RAPID_CHANGE_TEMP WARNING',
	'THRESHOLD_BREACH_VOLTAGE CRITICAL',
	'PARSE_ERROR_RATE WARNING',
	'HEARTBEAT_LOSS CRITICAL',
];

/** What the tour must show: each incident within the first minute, all resolved by 80 s. */
function assertTour(
	t: ExecutionContext,
	{incidents}: Played,
	expected: readonly string[],
) {
	const firstMinute = incidents.filter((incident) => incident.startS < 60);
	const kinds = new Set(
		firstMinute.map((incident) => `${incident.type} ${incident.severity}`),
	);
	t.deepEqual(
		expected.filter((kind) => !kinds.has(kind)),
		[],
		'missing from the first minute',
	);
	t.deepEqual(
		firstMinute
			.filter((incident) => incident.endS === undefined || incident.endS > 80)
			.map(
				(incident) =>
					`${incident.type} ${incident.severity} ${incident.startS}`,
			),
		[],
		'not resolved by 80 s',
	);

	// Nothing by accident: one rapid change, one incident per temperature episode, no device
	// status that contradicts its readings.
	const count = (type: IncidentType) =>
		firstMinute.filter((incident) => incident.type === type).length;
	t.is(count('RAPID_CHANGE_TEMP'), 1);
	t.is(count('STATUS_MISMATCH'), 0);
	t.is(
		count('THRESHOLD_BREACH_TEMP'),
		expected.filter((kind) => kind.startsWith('THRESHOLD_BREACH_TEMP')).length,
	);
	t.is(count('THRESHOLD_BREACH_VOLTAGE'), 1);
}

function allValid(steps: readonly EmulatorStep[]): string[] {
	return steps.flatMap((step) =>
		step.kind === 'line' && parseLine(step.bytes, limits).ok !== step.valid
			? [new TextDecoder().decode(step.bytes)]
			: [],
	);
}

test('tour: with the default config, every incident fires within a minute and resolves', (t) => {
	const played = play(defaultConfig.thresholds, 10, 80);
	assertTour(t, played, tourIncidents);
	t.deepEqual(allValid(played.steps), [], 'valid disagrees with parseLine');

	// The timeline mixed-tour.ts documents (seconds from the first line).
	const times = Object.fromEntries(
		played.incidents
			.filter((incident) => incident.startS < 60)
			.filter((incident) => incident.type !== 'DEVICE_STATUS')
			.map((incident) => [
				`${incident.type} ${incident.severity}`,
				[incident.startS, incident.endS],
			]),
	);
	t.deepEqual(times, {
		'PARSE_ERROR_RATE WARNING': [4, 63.4],
		'RAPID_CHANGE_TEMP WARNING': [7.5, 7.6],
		'THRESHOLD_BREACH_TEMP WARNING': [15.7, 20.4],
		'THRESHOLD_BREACH_TEMP CRITICAL': [27.1, 34],
		'THRESHOLD_BREACH_VOLTAGE CRITICAL': [40.2, 43.9],
		'HEARTBEAT_LOSS CRITICAL': [53.5, 56.5],
	});
});

test('tour: follows other thresholds and rates', (t) => {
	const thresholds: Thresholds = {
		temperature: {
			max_c: 60,
			warn_c: 50,
			max_change_c: 5,
			for_s: 1,
			clear_margin_c: 2,
		},
		voltage: {min_v: 11, max_v: 13, for_s: 1, clear_margin_v: 0.2},
		heartbeat_timeout_s: 3,
		parse_errors: {max_per_min: 20},
	};
	const played = play(thresholds, 20, 80);
	assertTour(t, played, tourIncidents);
	t.deepEqual(allValid(played.steps), [], 'valid disagrees with parseLine');
	t.true(
		played.steps.some((step) => step.kind === 'silence' && step.ms === 4800),
		'a silence of 1.6 × heartbeat_timeout_s',
	);
});

test('tour: without a warning band (warn_c null, or not below max_c) there is no warning episode, the rest stays', (t) => {
	for (const [warn, max] of [
		[null, 80],
		[70, 60],
	] as const) {
		const thresholds = structuredClone(defaultConfig.thresholds);
		thresholds.temperature.warn_c = warn;
		thresholds.temperature.max_c = max;
		assertTour(
			t,
			play(thresholds, 10, 80),
			tourIncidents.filter((kind) => kind !== 'THRESHOLD_BREACH_TEMP WARNING'),
		);
	}
});

test('tour: the same seed gives the same bytes; only mixed with tour set plays it', (t) => {
	const firstSteps = (options: ScenarioOptions, name: 'mixed' | 'normal') => {
		const steps: string[] = [];
		for (const step of createScenario({name}, options)) {
			if (steps.length >= 1000) {
				break;
			}

			steps.push(
				step.kind === 'line'
					? new TextDecoder().decode(step.bytes)
					: `silence ${step.ms}`,
			);
		}

		return steps;
	};

	const {thresholds} = defaultConfig;
	const toured = firstSteps(tourOptions(thresholds, 10), 'mixed');
	t.deepEqual(toured, firstSteps(tourOptions(thresholds, 10), 'mixed'));
	t.notDeepEqual(
		toured,
		firstSteps(tourOptions(thresholds, 10, false), 'mixed'),
	);
	t.deepEqual(
		firstSteps(tourOptions(thresholds, 10, false), 'mixed'),
		firstSteps({seed: 42, heartbeatTimeoutS: 5, thresholds}, 'mixed'),
	);
	t.deepEqual(
		firstSteps(tourOptions(thresholds, 10), 'normal'),
		firstSteps(tourOptions(thresholds, 10, false), 'normal'),
	);
});
