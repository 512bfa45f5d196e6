import {Buffer} from 'node:buffer';
import test from 'ava';
import fc from 'fast-check';
import {defaultConfig} from '../../source/core/config.js';
import {createDetector, type Thresholds} from '../../source/core/detector.js';
import type {IncidentEvent} from '../../source/core/incident.js';
import {parseLine} from '../helpers/tvs-line.js';
import {drive} from '../helpers/detector-driver.js';
import {limits} from '../helpers/limits.js';
import {builtinSettings, asReading} from '../helpers/builtin-settings.js';

const t0 = Date.parse('2026-11-24T10:00:00.000Z');

type Feed = Array<[seconds: number, line: string]>;

function thresholdsWith(change: (thresholds: Thresholds) => void): Thresholds {
	const thresholds = structuredClone(defaultConfig.thresholds);
	change(thresholds);
	return thresholds;
}

/** Feeds lines at their times (line numbers 1..n); ticks every `tickS` between them, and on to `endS`, if given. */
function run(
	feed: Feed,
	options: {thresholds?: Thresholds; tickS?: number; endS?: number} = {},
) {
	const detector = createDetector(
		builtinSettings(options.thresholds ?? defaultConfig.thresholds),
	);
	const events: IncidentEvent[] = [];
	let clock = feed[0]?.[0] ?? 0;
	const tickUntil = (seconds: number) => {
		if (options.tickS) {
			for (; clock < seconds; clock += options.tickS) {
				events.push(...detector.tick(t0 + clock * 1000));
			}
		}
	};

	for (const [index, [seconds, text]] of feed.entries()) {
		tickUntil(seconds);

		const result = parseLine(Buffer.from(text), limits);
		const time = t0 + seconds * 1000;
		events.push(
			...detector.observe(
				result.ok
					? {time, line: index + 1, reading: asReading(result.reading)}
					: {time, line: index + 1, error: result.reason},
			),
		);
	}

	const endS = options.endS ?? feed.at(-1)?.[0] ?? 0;
	tickUntil(endS);
	const end = t0 + endS * 1000;
	events.push(...detector.tick(end));
	return {events, report: detector.report(end), detector, end};
}

const normal = (temperature = 25, voltage = 5) =>
	`T:${temperature},V:${voltage},S:NORMAL`;
const summary = (events: IncidentEvent[]) =>
	events.map(
		({event, incident}) => `${event} ${incident.type} ${incident.severity}`,
	);

test('temperature: warning breach, worsens to critical, resolves; one incident with its peak', (t) => {
	const {events, report} = run([
		[0, normal(60)],
		[1, 'T:72,V:5,S:WARNING_TEMP'],
		[2, 'T:79,V:5,S:WARNING_TEMP'],
		[3, 'T:95.5,V:5,S:WARNING_TEMP'],
		[4, 'T:90,V:5,S:WARNING_TEMP'],
		[5, normal(65)],
	]);
	const temperature = report.filter(
		(entry) => entry.type === 'THRESHOLD_BREACH_TEMP',
	);
	t.is(temperature.length, 1);
	t.like(temperature[0], {
		timestamp: '2026-11-24T10:00:01.000Z',
		end: '2026-11-24T10:00:05.000Z',
		severity: 'CRITICAL',
		description: 'Temperature 95.50°C exceeded threshold of 80.0°C.',
		value: 72,
		peak: 95.5,
		threshold: 80,
		readings: 4,
		first_line: 2,
		last_line: 5,
	});
	t.deepEqual(
		summary(
			events.filter(({incident}) => incident.type === 'THRESHOLD_BREACH_TEMP'),
		),
		[
			// A new peak at the same severity (79) is kept, not announced.
			'fired THRESHOLD_BREACH_TEMP WARNING',
			'worsened THRESHOLD_BREACH_TEMP CRITICAL',
			'resolved THRESHOLD_BREACH_TEMP CRITICAL',
		],
	);
});

test('temperature: a warning-only breach says so; with warn_c null only max_c counts', (t) => {
	const {report} = run([
		[0, normal(60)],
		[1, normal(75)],
		[2, normal(60)],
	]);
	t.like(
		report.find((entry) => entry.type === 'THRESHOLD_BREACH_TEMP'),
		{
			severity: 'WARNING',
			threshold: 70,
			description: 'Temperature 75.00°C exceeded warning threshold of 70.0°C.',
		},
	);
	const noWarn = run(
		[
			[0, normal(60)],
			[1, normal(75)],
			[2, normal(60)],
		],
		{
			thresholds: thresholdsWith((x) => {
				x.temperature.warn_c = null;
			}),
		},
	);
	t.false(
		noWarn.report.some((entry) => entry.type === 'THRESHOLD_BREACH_TEMP'),
	);
});

test('voltage outside the range, above and below, in the documented wording', (t) => {
	const {report} = run([
		[0, normal()],
		[1, normal(25, 6.1)],
		[2, normal(25, 5)],
		[3, normal(25, 4.2)],
		[4, normal(25, 3.9)],
		[5, normal(25, 5)],
	]);
	const voltage = report.filter(
		(entry) => entry.type === 'THRESHOLD_BREACH_VOLTAGE',
	);
	t.is(voltage.length, 2);
	t.like(voltage[0], {
		severity: 'CRITICAL',
		description: 'Voltage 6.10V was outside the normal range of 4.5V-5.5V.',
		threshold: 5.5,
		readings: 1,
	});
	t.like(voltage[1], {
		description: 'Voltage 3.90V was outside the normal range of 4.5V-5.5V.',
		value: 4.2,
		peak: 3.9,
		threshold: 4.5,
		readings: 2,
	});
});

test('rapid change fires while the value is inside its limits (the predictive rule)', (t) => {
	const {report} = run([
		[0, normal(20)],
		[1, normal(36)],
		[2, normal(40)],
		[3, normal(50)],
		[4, normal(34.9)],
	]);
	const rapid = report.filter((entry) => entry.type === 'RAPID_CHANGE_TEMP');
	t.is(rapid.length, 2);
	t.like(rapid[0], {
		severity: 'WARNING',
		description:
			'Temperature changed by 16.00°C, exceeding the rate-of-change threshold of 15.0°C.',
		first_line: 2,
		last_line: 2,
		end: '2026-11-24T10:00:02.000Z',
	});
	t.like(rapid[1], {
		description:
			'Temperature changed by -15.10°C, exceeding the rate-of-change threshold of 15.0°C.',
		value: -15.1,
	});
	t.false(report.some((entry) => entry.type === 'THRESHOLD_BREACH_TEMP'));
	t.false(
		run([
			[0, normal(20)],
			[1, normal(35)],
		]).report.length > 0,
		'exactly 15 is not more than 15',
	);
});

test('the forced-failure sequence gives the documented descriptions', (t) => {
	const {report} = run([
		[0, normal(25)],
		[1, 'T:95.5,V:5.0,S:CRITICAL_TEMP'],
		[2, 'T:95.5,V:6.1,S:CRITICAL_VOLTAGE'],
		[3, 'T:25.0,V:5.0,S:NORMAL'],
		[9.2, 'T:25.0,V:5.0,S:NORMAL'],
	]);
	const descriptions = new Set(report.map((entry) => entry.description));
	t.true(descriptions.has('Temperature 95.50°C exceeded threshold of 80.0°C.'));
	t.true(
		descriptions.has(
			'Voltage 6.10V was outside the normal range of 4.5V-5.5V.',
		),
	);
	t.true(
		descriptions.has(
			'Temperature changed by -70.50°C, exceeding the rate-of-change threshold of 15.0°C.',
		),
	);
	t.true(
		descriptions.has(
			'No data received for 6.2 seconds. Device may be offline.',
		),
	);
});

test('heartbeat loss fires from a tick when the timeout passes, stamped at the timeout, and resolves when data returns', (t) => {
	const detector = createDetector(builtinSettings(defaultConfig.thresholds));
	const reading = parseLine(Buffer.from(normal()), limits);
	if (!reading.ok) {
		throw new Error('fixture');
	}

	detector.observe({time: t0, line: 1, reading: asReading(reading.reading)});
	t.deepEqual(detector.tick(t0 + 5000), [], 'not at exactly the timeout');
	const [fired] = detector.tick(t0 + 5200);
	t.is(fired?.event, 'fired');
	t.like(fired?.incident, {
		type: 'HEARTBEAT_LOSS',
		severity: 'CRITICAL',
		timestamp: '2026-11-24T10:00:05.000Z',
		end: null,
		first_line: 1,
		description: 'No data received for 5.2 seconds. Device may be offline.',
	});
	t.deepEqual(detector.tick(t0 + 6000), [], 'fires once');
	t.like(detector.active(t0 + 7000)[0], {
		description: 'No data received for 7.0 seconds. Device may be offline.',
		peak: 7,
	});
	const events = detector.observe({
		time: t0 + 8000,
		line: 2,
		reading: asReading(reading.reading),
	});
	t.like(events[0], {
		event: 'resolved',
		incident: {
			end: '2026-11-24T10:00:08.000Z',
			last_line: 2,
			peak: 8,
			description: 'No data received for 8.0 seconds. Device may be offline.',
		},
	});
});

test('before the first line there is no heartbeat loss, however long; it counts from the first line', (t) => {
	const run = drive();
	t.deepEqual(run.tick(3600), []);
	t.deepEqual(run.line(3600, normal()), []);
	t.deepEqual(run.tick(3605), [], 'exactly the timeout is no loss yet');
	const [fired] = run.tick(3605.001);
	t.like(fired?.incident, {
		type: 'HEARTBEAT_LOSS',
		timestamp: '2026-11-24T11:00:05.000Z',
		first_line: 1,
	});
	t.is(run.report(3606).length, 1);
});

test('device status: its own level, worsening by level, resolved by NORMAL', (t) => {
	const {report, events} = run([
		[0, normal()],
		[1, 'T:25,V:5,S:WARNING_FAN'],
		[2, 'T:25,V:5,S:OFFLINE_SENSOR'],
		[3, 'T:25,V:5,S:WARNING_FAN'],
		[4, normal()],
	]);
	t.deepEqual(
		report.map((entry) => entry.type),
		['DEVICE_STATUS'],
	);
	t.like(report[0], {
		severity: 'CRITICAL',
		value: 'WARNING_FAN',
		peak: 'OFFLINE_SENSOR',
		readings: 3,
		description: 'Device reported status OFFLINE_SENSOR.',
	});
	t.deepEqual(summary(events), [
		'fired DEVICE_STATUS WARNING',
		'worsened DEVICE_STATUS CRITICAL',
		'resolved DEVICE_STATUS CRITICAL',
	]);
});

test('status mismatch: the device says NORMAL while a threshold rule fires', (t) => {
	const {report} = run([
		[0, normal()],
		[1, 'T:85,V:5,S:CRITICAL_TEMP'],
		[2, 'T:86,V:5,S:NORMAL'],
		[3, 'T:86,V:6,S:NORMAL'],
		[4, 'T:25,V:5,S:NORMAL'],
	]);
	const mismatch = report.filter((entry) => entry.type === 'STATUS_MISMATCH');
	t.is(mismatch.length, 1);
	t.like(mismatch[0], {
		severity: 'WARNING',
		timestamp: '2026-11-24T10:00:02.000Z',
		end: '2026-11-24T10:00:04.000Z',
		readings: 2,
		description:
			'Device reported NORMAL while THRESHOLD_BREACH_TEMP and THRESHOLD_BREACH_VOLTAGE were firing; its own sensing disagrees with the readings.',
	});
});

test('parse error rate: fires above the limit, resolves exactly when the window falls back', (t) => {
	const thresholds = thresholdsWith((x) => {
		x.parse_errors.max_per_min = 2;
	});
	const feed: Feed = [
		[0, normal()],
		[10, 'garbage'],
		[20, 'T:abc'],
		[30, '\u0001'],
		[40, normal()],
		[100, normal()],
	];
	for (const tickS of [undefined, 0.25, 7]) {
		const {report} = run(feed, {thresholds, tickS});
		t.like(
			report.find((entry) => entry.type === 'PARSE_ERROR_RATE'),
			{
				severity: 'WARNING',
				timestamp: '2026-11-24T10:00:30.000Z',
				end: '2026-11-24T10:01:10.000Z',
				value: 3,
				readings: 1,
				first_line: 4,
				description:
					'3 malformed lines within a minute, more than the limit of 2 per minute.',
			},
			`ticks every ${tickS ?? 'line'} s`,
		);
	}
});

test('for_s: a breach must last that long before it fires; start is when it began', (t) => {
	const thresholds = thresholdsWith((x) => {
		x.temperature.for_s = 2;
	});
	const short = run(
		[
			[0, normal()],
			[1, normal(85)],
			[2, normal(85)],
			[3, normal(25)],
		],
		{thresholds},
	);
	t.false(
		short.report.some((entry) => entry.type === 'THRESHOLD_BREACH_TEMP'),
		'1 s breach does not fire',
	);
	const long = run(
		[
			[0, normal()],
			[1, normal(85)],
			[2, normal(85)],
			[3, normal(85)],
			[4, normal(25)],
		],
		{
			thresholds,
		},
	);
	t.like(
		long.report.find((entry) => entry.type === 'THRESHOLD_BREACH_TEMP'),
		{
			timestamp: '2026-11-24T10:00:01.000Z',
			readings: 3,
			first_line: 2,
		},
	);
	t.deepEqual(
		summary(
			long.events.filter(
				({incident}) => incident.type === 'THRESHOLD_BREACH_TEMP',
			),
		),
		[
			'fired THRESHOLD_BREACH_TEMP CRITICAL',
			'resolved THRESHOLD_BREACH_TEMP CRITICAL',
		],
	);
});

test('clear_margin: hysteresis stops flapping around the threshold', (t) => {
	const feed: Feed = [
		[0, normal(75)],
		[1, normal(81)],
		[2, normal(79)],
		[3, normal(81)],
		[4, normal(79)],
		[5, normal(77.9)],
	];
	const noWarn = (margin: number) =>
		thresholdsWith((x) => {
			x.temperature.warn_c = null;
			x.temperature.clear_margin_c = margin;
		});
	const flapping = run(feed, {thresholds: noWarn(0)}).report.filter(
		(entry) => entry.type === 'THRESHOLD_BREACH_TEMP',
	);
	t.is(flapping.length, 2);
	const held = run(feed, {thresholds: noWarn(2)}).report.filter(
		(entry) => entry.type === 'THRESHOLD_BREACH_TEMP',
	);
	t.is(held.length, 1);
	t.like(held[0], {readings: 4, end: '2026-11-24T10:00:05.000Z'});

	const voltage = run(
		[
			[0, normal()],
			[1, normal(25, 5.6)],
			[2, normal(25, 5.45)],
			[3, normal(25, 5.39)],
		],
		{
			thresholds: thresholdsWith((x) => {
				x.voltage.clear_margin_v = 0.1;
			}),
		},
	).report.find((entry) => entry.type === 'THRESHOLD_BREACH_VOLTAGE');
	t.like(voltage, {readings: 2, end: '2026-11-24T10:00:03.000Z'});
});

test('ids are deterministic, derived from rule and start, and differ between incidents', (t) => {
	const feed: Feed = [
		[0, normal()],
		[1, normal(85)],
		[2, normal()],
		[3, normal(85)],
		[4, normal()],
	];
	const first = run(feed).report;
	const second = run(feed).report;
	t.deepEqual(
		first.map((entry) => entry.id),
		second.map((entry) => entry.id),
	);
	t.is(new Set(first.map((entry) => entry.id)).size, first.length);
	t.regex(first[0]!.id, /^threshold_breach_temp-[\da-f]{16}$/);
});

test('report is sorted by start time; ongoing incidents have end null', (t) => {
	const {report} = run([
		[0, normal()],
		[1, 'T:85,V:5,S:CRITICAL'],
		[2, 'T:85,V:6,S:CRITICAL'],
	]);
	t.deepEqual(
		report.map((entry) => entry.type),
		[
			'THRESHOLD_BREACH_TEMP',
			'RAPID_CHANGE_TEMP',
			'DEVICE_STATUS',
			'THRESHOLD_BREACH_VOLTAGE',
		],
	);
	t.true(
		report
			.filter((entry) => entry.type !== 'RAPID_CHANGE_TEMP')
			.every((entry) => entry.end === null),
	);
});

test('property: live ticking and batch give the same report, byte for byte', (t) => {
	const line = fc.oneof(
		fc.constantFrom('garbage', 'T:abc,V:5,S:NORMAL', 'T:1,V:5'),
		fc
			.tuple(
				fc.integer({min: 0, max: 1200}),
				fc.integer({min: 40, max: 62}),
				fc.constantFrom('NORMAL', 'WARNING_X', 'CRITICAL', 'OFFLINE'),
			)
			.map(
				([temperature, voltage, status]) =>
					`T:${temperature / 10},V:${voltage / 10},S:${status}`,
			),
	);
	t.notThrows(() => {
		fc.assert(
			fc.property(
				fc.array(fc.tuple(fc.integer({min: 0, max: 8000}), line), {
					minLength: 1,
					maxLength: 60,
				}),
				fc.constantFrom(0.1, 0.25, 1, 3),
				// The report is taken this long after the last line: a silence at the end too.
				fc.integer({min: 0, max: 8000}),
				(steps, tickS, afterMs) => {
					let seconds = 0;
					const feed: Feed = steps.map(([gapMs, text]) => {
						seconds += gapMs / 1000;
						return [seconds, text];
					});
					const thresholds = thresholdsWith((x) => {
						x.parse_errors.max_per_min = 2;
						x.temperature.for_s = 1;
						x.voltage.clear_margin_v = 0.2;
					});
					const endS = seconds + afterMs / 1000;
					const batch = run(feed, {thresholds, endS});
					const live = run(feed, {thresholds, tickS, endS});
					return JSON.stringify(batch.report) === JSON.stringify(live.report);
				},
			),
			{numRuns: 300},
		);
	});
});
