import test from 'ava';
import fc from 'fast-check';
import {defaultConfig} from '../../source/core/config.js';
import type {IncidentEvent} from '../../source/core/incident.js';
import {
	builtinSettings,
	at,
	drive,
	normal,
	summary,
	thresholdsWith,
} from '../helpers/detector-driver.js';

/** The temperature breach's events: the other rules also see these jumps and NORMAL statuses. */
const breaches = (events: readonly IncidentEvent[]) =>
	summary(
		events.filter(({incident}) => incident.type === 'THRESHOLD_BREACH_TEMP'),
	);

test('a lowered max_c: the next reading above it fires CRITICAL against the new threshold', (t) => {
	const run = drive();
	run.line(0, normal(60));
	run.detector.retune(
		builtinSettings(
			thresholdsWith((x) => {
				x.temperature.max_c = 75;
			}),
		),
	);
	const events = run.line(1, normal(76));
	t.deepEqual(breaches(events), ['fired THRESHOLD_BREACH_TEMP CRITICAL']);
	t.like(events[0]?.incident, {
		threshold: 75,
		description: 'Temperature 76.00°C exceeded threshold of 75.0°C.',
	});

	// Without the retune the same reading is only a warning.
	const before = drive();
	before.line(0, normal(60));
	t.deepEqual(breaches(before.line(1, normal(76))), [
		'fired THRESHOLD_BREACH_TEMP WARNING',
	]);
});

test('a lowered max_c worsens an open warning at the next reading above it', (t) => {
	const run = drive();
	run.line(0, normal(60));
	t.deepEqual(breaches(run.line(1, normal(72))), [
		'fired THRESHOLD_BREACH_TEMP WARNING',
	]);
	run.detector.retune(
		builtinSettings(
			thresholdsWith((x) => {
				x.temperature.max_c = 75;
			}),
		),
	);
	const events = run.line(2, normal(76));
	t.deepEqual(breaches(events), ['worsened THRESHOLD_BREACH_TEMP CRITICAL']);
	t.like(events[0]?.incident, {
		timestamp: at(1),
		threshold: 75,
		description: 'Temperature 76.00°C exceeded threshold of 75.0°C.',
	});
});

test('a raised max_c resolves an open breach at the next reading; the report still names the old threshold', (t) => {
	const run = drive();
	run.line(0, normal(60));
	t.deepEqual(breaches(run.line(1, normal(85))), [
		'fired THRESHOLD_BREACH_TEMP CRITICAL',
	]);
	run.detector.retune(
		builtinSettings(
			thresholdsWith((x) => {
				x.temperature.max_c = 90;
				x.temperature.warn_c = 86;
			}),
		),
	);
	t.deepEqual(run.tick(1.5), [], 'a tick judges no reading');
	const events = run.line(2, normal(85));
	t.deepEqual(breaches(events), ['resolved THRESHOLD_BREACH_TEMP CRITICAL']);
	t.like(run.report(3), [
		{
			type: 'THRESHOLD_BREACH_TEMP',
			end: at(2),
			threshold: 80,
			readings: 1,
			description: 'Temperature 85.00°C exceeded threshold of 80.0°C.',
		},
	]);
});

test('a raised max_c with the warning level below the reading keeps the breach open, as one incident', (t) => {
	// Severity never drops within an incident (as without a retune): 85 is still above warn_c.
	const run = drive();
	run.line(0, normal(60));
	run.line(1, normal(85));
	run.detector.retune(
		builtinSettings(
			thresholdsWith((x) => {
				x.temperature.max_c = 90;
			}),
		),
	);
	t.deepEqual(breaches(run.line(2, normal(85))), []);
	t.deepEqual(breaches(run.line(3, normal(65))), [
		'resolved THRESHOLD_BREACH_TEMP CRITICAL',
	]);
	t.like(run.report(3)[0], {
		readings: 2,
		threshold: 80,
		description: 'Temperature 85.00°C exceeded threshold of 80.0°C.',
	});
});

test('rapid change compares with the temperature before the retune', (t) => {
	const run = drive();
	run.line(0, normal(20));
	run.detector.retune(
		builtinSettings(
			thresholdsWith((x) => {
				x.temperature.max_change_c = 5;
			}),
		),
	);
	const events = run.line(1, normal(26));
	t.deepEqual(summary(events), ['fired RAPID_CHANGE_TEMP WARNING']);
	t.like(events[0]?.incident, {
		value: 6,
		threshold: 5,
		description:
			'Temperature changed by 6.00°C, exceeding the rate-of-change threshold of 5.0°C.',
	});
});

test('a shortened heartbeat timeout applies to the silence under way, firing at the new timeout', (t) => {
	const run = drive();
	run.line(0, normal());
	t.deepEqual(run.tick(1), []);
	run.detector.retune(
		builtinSettings(
			thresholdsWith((x) => {
				x.heartbeat_timeout_s = 2;
			}),
		),
	);
	t.deepEqual(run.tick(2), [], 'not at exactly the timeout');
	const [fired] = run.tick(2.2);
	t.is(fired?.event, 'fired');
	t.like(fired?.incident, {
		type: 'HEARTBEAT_LOSS',
		timestamp: at(2),
		threshold: 2,
		description: 'No data received for 2.2 seconds. Device may be offline.',
	});
});

test('a timeout shortened below the silence so far fires at the next tick, stamped at the retune, not before', (t) => {
	const run = drive();
	run.line(0, normal());
	run.tick(3);
	run.detector.retune(
		builtinSettings(
			thresholdsWith((x) => {
				x.heartbeat_timeout_s = 2;
			}),
		),
	);
	const [fired] = run.tick(3.25);
	t.like(fired?.incident, {
		type: 'HEARTBEAT_LOSS',
		timestamp: at(3),
		description: 'No data received for 3.3 seconds. Device may be offline.',
	});
});

test('a lengthened heartbeat timeout holds back a loss the old one would have fired', (t) => {
	const run = drive();
	run.line(0, normal());
	run.tick(3);
	run.detector.retune(
		builtinSettings(
			thresholdsWith((x) => {
				x.heartbeat_timeout_s = 10;
			}),
		),
	);
	t.deepEqual(run.tick(9), []);
	t.like(run.tick(10.5)[0]?.incident, {
		type: 'HEARTBEAT_LOSS',
		timestamp: at(10),
		threshold: 10,
	});
});

test('descriptions of incidents fired before a retune keep their thresholds', (t) => {
	const run = drive(
		thresholdsWith((x) => {
			x.parse_errors.max_per_min = 1;
		}),
	);
	run.line(0, normal(20));
	run.line(1, 'T:85,V:6.1,S:CRITICAL');
	run.line(2, 'garbage');
	run.line(3, 'garbage');
	run.detector.retune(
		builtinSettings(
			thresholdsWith((x) => {
				x.temperature.max_c = 82;
				x.temperature.max_change_c = 30;
				x.voltage.max_v = 6;
				x.parse_errors.max_per_min = 5;
			}),
		),
	);
	run.line(4, 'T:85,V:6.1,S:CRITICAL');
	const descriptions = Object.fromEntries(
		run.report(5).map((entry) => [entry.type, entry.description]),
	);
	t.deepEqual(descriptions, {
		THRESHOLD_BREACH_TEMP: 'Temperature 85.00°C exceeded threshold of 80.0°C.',
		THRESHOLD_BREACH_VOLTAGE:
			'Voltage 6.10V was outside the normal range of 4.5V-5.5V.',
		RAPID_CHANGE_TEMP:
			'Temperature changed by 65.00°C, exceeding the rate-of-change threshold of 15.0°C.',
		DEVICE_STATUS: 'Device reported status CRITICAL.',
		PARSE_ERROR_RATE:
			'2 malformed lines within a minute, more than the limit of 1 per minute.',
	});
	// An incident fired after the retune names the new thresholds.
	run.line(5, normal(25, 5));
	const [voltage] = run.line(6, normal(25, 6.2));
	t.like(voltage?.incident, {
		type: 'THRESHOLD_BREACH_VOLTAGE',
		description: 'Voltage 6.20V was outside the normal range of 4.5V-6.0V.',
	});
});

test('parse-error limit: a raised one resolves at the next tick, stamped no earlier than the retune; a lowered one fires at the next error', (t) => {
	const run = drive(
		thresholdsWith((x) => {
			x.parse_errors.max_per_min = 1;
		}),
	);
	run.line(0, 'garbage');
	t.deepEqual(summary(run.line(1, 'garbage')), [
		'fired PARSE_ERROR_RATE WARNING',
	]);
	run.tick(10);
	run.detector.retune(
		builtinSettings(
			thresholdsWith((x) => {
				x.parse_errors.max_per_min = 5;
			}),
		),
	);
	const resolved = run.tick(10.5);
	t.deepEqual(summary(resolved), ['resolved PARSE_ERROR_RATE WARNING']);
	t.like(resolved[0]?.incident, {end: at(10)});

	run.line(11, 'garbage');
	t.deepEqual(run.line(12, 'garbage'), [], '4 in the window, limit 5');
	run.detector.retune(
		builtinSettings(
			thresholdsWith((x) => {
				x.parse_errors.max_per_min = 2;
			}),
		),
	);
	t.deepEqual(run.tick(13), [], 'fires on an error, not on a tick');
	const [fired] = run.line(14, 'garbage');
	t.like(fired?.incident, {
		type: 'PARSE_ERROR_RATE',
		timestamp: at(14),
		value: 5,
		threshold: 2,
		description:
			'5 malformed lines within a minute, more than the limit of 2 per minute.',
	});
});

test('for_s: a pending breach starts over when its rule is retuned, not when another rule is', (t) => {
	const pending = () => {
		const run = drive(
			thresholdsWith((x) => {
				x.temperature.for_s = 2;
			}),
		);
		run.line(0, normal());
		run.line(1, normal(85));
		run.line(2, normal(85));
		return run;
	};

	const other = pending();
	other.detector.retune(
		builtinSettings(
			thresholdsWith((x) => {
				x.temperature.for_s = 2;
				x.voltage.max_v = 6;
			}),
		),
	);
	t.like(other.line(3, normal(85))[0]?.incident, {
		type: 'THRESHOLD_BREACH_TEMP',
		timestamp: at(1),
		readings: 3,
	});

	const own = pending();
	own.detector.retune(
		builtinSettings(
			thresholdsWith((x) => {
				x.temperature.for_s = 2;
				x.temperature.clear_margin_c = 1;
			}),
		),
	);
	t.deepEqual(own.line(3, normal(85)), []);
	t.deepEqual(own.line(4, normal(85)), []);
	t.like(own.line(5, normal(85))[0]?.incident, {
		type: 'THRESHOLD_BREACH_TEMP',
		timestamp: at(3),
		readings: 3,
	});
});

test('the detector keeps its own copy: editing the object passed in retunes nothing', (t) => {
	const thresholds = structuredClone(defaultConfig.thresholds);
	const run = drive(thresholds);
	run.line(0, normal(60));
	thresholds.temperature.max_c = 60;
	t.deepEqual(run.line(1, normal(65)), []);
	const next = structuredClone(defaultConfig.thresholds);
	run.detector.retune(builtinSettings(next));
	next.temperature.max_c = 60;
	t.deepEqual(run.line(2, normal(65)), []);
});

test('property: retuning to the same thresholds, at any moments, changes nothing', (t) => {
	const line = fc.oneof(
		fc.constantFrom('garbage', 'T:1,V:5'),
		fc
			.tuple(
				fc.integer({min: 0, max: 1200}),
				fc.integer({min: 40, max: 62}),
				fc.constantFrom('NORMAL', 'WARNING_X', 'CRITICAL'),
			)
			.map(
				([temperature, voltage, status]) =>
					`T:${temperature / 10},V:${voltage / 10},S:${status}`,
			),
	);
	const thresholds = thresholdsWith((x) => {
		x.parse_errors.max_per_min = 2;
		x.temperature.for_s = 1;
		x.voltage.clear_margin_v = 0.2;
	});
	t.notThrows(() => {
		fc.assert(
			fc.property(
				fc.array(
					fc.tuple(fc.integer({min: 0, max: 8000}), line, fc.boolean()),
					{minLength: 1, maxLength: 60},
				),
				(steps) => {
					const plain = drive(thresholds);
					const retuned = drive(thresholds);
					let seconds = 0;
					const events: [IncidentEvent[], IncidentEvent[]] = [[], []];
					for (const [gapMs, text, retune] of steps) {
						const tickAt = seconds + gapMs / 2000;
						seconds += gapMs / 1000;
						events[0].push(...plain.tick(tickAt), ...plain.line(seconds, text));
						if (retune) {
							retuned.detector.retune(
								builtinSettings(structuredClone(thresholds)),
							);
						}

						events[1].push(
							...retuned.tick(tickAt),
							...retuned.line(seconds, text),
						);
					}

					return (
						JSON.stringify(events[0]) === JSON.stringify(events[1]) &&
						JSON.stringify(plain.report(seconds + 10)) ===
							JSON.stringify(retuned.report(seconds + 10))
					);
				},
			),
			{numRuns: 200},
		);
	});
});

test('max_c lowered below warn_c: the warning band is off, an open warning worsens, the breach ends below max_c', (t) => {
	const run = drive();
	run.line(0, normal(65));
	t.deepEqual(breaches(run.line(1, normal(72))), [
		'fired THRESHOLD_BREACH_TEMP WARNING',
	]);
	run.detector.retune(
		builtinSettings(
			thresholdsWith((x) => {
				x.temperature.max_c = 60;
			}),
		),
	);
	const worsened = run.line(2, normal(72));
	t.deepEqual(breaches(worsened), ['worsened THRESHOLD_BREACH_TEMP CRITICAL']);
	t.like(worsened[0]?.incident, {threshold: 60});
	t.deepEqual(breaches(run.line(3, normal(61))), []);
	t.deepEqual(breaches(run.line(4, normal(59))), [
		'resolved THRESHOLD_BREACH_TEMP CRITICAL',
	]);
	t.deepEqual(breaches(run.line(5, normal(65))), [
		'fired THRESHOLD_BREACH_TEMP CRITICAL',
	]);
});

test('an edit of warn_c that is no band before or after (at or above max_c) still restarts a breach waiting out for_s, as the thresholds always did', (t) => {
	const run = drive(
		thresholdsWith((x) => {
			x.temperature.warn_c = 90;
			x.temperature.for_s = 2;
		}),
	);
	run.line(0, normal(85));
	run.line(1, normal(85));
	run.detector.retune(
		builtinSettings(
			thresholdsWith((x) => {
				x.temperature.warn_c = 95;
				x.temperature.for_s = 2;
			}),
		),
	);
	t.deepEqual(breaches(run.line(2, normal(85))), []);
	t.deepEqual(breaches(run.line(3, normal(85))), []);
	const fired = run
		.line(4, normal(85))
		.find(({incident}) => incident.type === 'THRESHOLD_BREACH_TEMP');
	t.like(fired?.incident, {timestamp: at(2), severity: 'CRITICAL'});
});
