import test from 'ava';
import fc from 'fast-check';
import {defaultConfig} from '../../source/core/config.js';
import type {Thresholds} from '../../source/core/detector.js';
import {deviceStatus} from '../../source/core/scenarios/device-line.js';
import {
	judgeTemperature,
	judgeVoltage,
	lowestTemperatureAlarm,
	warningThreshold,
} from '../../source/core/thresholds.js';
import {drive, normal, thresholdsWith} from '../helpers/detector-driver.js';

const {temperature, voltage} = defaultConfig.thresholds;

test('temperature: strictly past a threshold alarms, at it does not', (t) => {
	t.deepEqual(judgeTemperature(70, temperature), {level: 'NORMAL'});
	t.deepEqual(judgeTemperature(70.01, temperature), {
		level: 'WARNING',
		threshold: 70,
	});
	t.deepEqual(judgeTemperature(80, temperature), {
		level: 'WARNING',
		threshold: 70,
	});
	t.deepEqual(judgeTemperature(80.01, temperature), {
		level: 'CRITICAL',
		threshold: 80,
	});
});

test('voltage: either side of the range, named', (t) => {
	t.deepEqual(judgeVoltage(4.5, voltage), {level: 'NORMAL'});
	t.deepEqual(judgeVoltage(5.5, voltage), {level: 'NORMAL'});
	t.deepEqual(judgeVoltage(4.49, voltage), {
		level: 'CRITICAL',
		side: 'under',
		threshold: 4.5,
	});
	t.deepEqual(judgeVoltage(5.51, voltage), {
		level: 'CRITICAL',
		side: 'over',
		threshold: 5.5,
	});
});

test('warn_c null, or at or above max_c, is no warning band', (t) => {
	for (const warn of [null, 60, 65]) {
		const thresholds = {...temperature, max_c: 60, warn_c: warn};
		t.is(warningThreshold(thresholds), undefined);
		t.is(lowestTemperatureAlarm(thresholds), 60);
		t.deepEqual(judgeTemperature(59, thresholds), {level: 'NORMAL'});
		t.deepEqual(judgeTemperature(61, thresholds), {
			level: 'CRITICAL',
			threshold: 60,
		});
	}

	t.is(warningThreshold({...temperature, max_c: 60, warn_c: 59.9}), 59.9);
});

test('detector with warn_c above max_c: no warning incident, critical past max_c, hysteresis from max_c', (t) => {
	const run = drive(
		thresholdsWith((x) => {
			x.temperature.max_c = 60;
			x.temperature.clear_margin_c = 2;
		}),
	);
	t.deepEqual(run.line(0, normal(55)), []);
	t.deepEqual(run.line(1, normal(59)), []);
	const [fired] = run.line(2, 'T:61,V:5,S:CRITICAL_TEMP');
	t.like(fired, {
		event: 'fired',
		incident: {
			type: 'THRESHOLD_BREACH_TEMP',
			severity: 'CRITICAL',
			threshold: 60,
		},
	});
	t.is(run.line(3, 'T:58.5,V:5,S:CRITICAL_TEMP').length, 0);
	t.like(run.line(4, normal(57.9))[0], {
		event: 'resolved',
		incident: {type: 'THRESHOLD_BREACH_TEMP'},
	});
});

test('property: the emulated device and the detector judge every value alike', (t) => {
	const thresholdsArbitrary = fc
		.record({
			max: fc.integer({min: 200, max: 900}),
			warn: fc.option(fc.integer({min: 100, max: 1000})),
			min: fc.integer({min: 40, max: 50}),
			width: fc.integer({min: 1, max: 20}),
		})
		.map(({max, warn, min, width}): Thresholds =>
			thresholdsWith((x) => {
				x.temperature.max_c = max / 10;
				x.temperature.warn_c = warn === null ? null : warn / 10;
				x.temperature.max_change_c = 1000;
				x.voltage.min_v = min / 10;
				x.voltage.max_v = (min + width) / 10;
			}),
		);
	t.notThrows(() => {
		fc.assert(
			fc.property(
				thresholdsArbitrary,
				fc.integer({min: 0, max: 1100}),
				fc.integer({min: 30, max: 80}),
				(thresholds, tenthsC, tenthsV) => {
					const celsius = tenthsC / 10;
					const volts = tenthsV / 10;
					const device = deviceStatus(celsius, volts, thresholds);
					const run = drive(thresholds);
					const fired = run.line(0, `T:${celsius},V:${volts},S:NORMAL`);
					const severity = (type: string) =>
						fired.find(({incident}) => incident.type === type)?.incident
							.severity ?? 'NORMAL';
					const voltageSeverity = severity('THRESHOLD_BREACH_VOLTAGE');
					const expected =
						voltageSeverity === 'NORMAL'
							? severity('THRESHOLD_BREACH_TEMP')
							: voltageSeverity;
					return device.level === expected;
				},
			),
			{numRuns: 500},
		);
	});
});
