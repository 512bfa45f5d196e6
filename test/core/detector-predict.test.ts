// The predict rule's golden traces (a linear ramp, a noisy one, one that levels off, one
// across a silence and a reconnect): when it fires, worsens and resolves, with the ETA and
// the description; predictions(); a checkpoint and a retune mid-trace; and the property
// that the ETA on an exact linear ramp is within one reading interval of the true crossing.
import test from 'ava';
import fc from 'fast-check';
import {
	createDetector,
	type DetectorState,
} from '../../source/core/detector.js';
import {createPrng, noise} from '../../source/core/scenarios/random.js';
import {
	predictSpec,
	ramp,
	runTrace,
	traceSettings,
	traceStart,
	type TraceStep,
} from '../helpers/predict-trace.js';

// 60 °C rising 0.9 °C/min: it reaches 80 °C at 1333.3 s, so the line reaches it within the
// 900 s horizon from 433.3 s on (433 with readings printed to a tenth).
const linear = (seconds: number) => 60 + 0.015 * seconds;
const [fired, worsened, resolved, breach] = [
	'fired PREDICTED_BREACH_TEMPERATURE',
	'worsened PREDICTED_BREACH_TEMPERATURE',
	'resolved PREDICTED_BREACH_TEMPERATURE',
	'THRESHOLD_BREACH_TEMPERATURE',
];
const rising = 'rising 0.9°C/min; reaches 80.0°C';

test('linear ramp: fires with the ETA once the line reaches crit within the horizon, worsens at each halving, resolves at the crossing', (t) => {
	t.deepEqual(runTrace(ramp(0, 1400, linear)).lines, [
		`${fired} at 433 peak 899.8: Temperature 66.5°C ${rising} in about 15 min.`,
		`${worsened} at 884 peak 449.4: Temperature 73.3°C ${rising} in about 7 min.`,
		`${worsened} at 1109 peak 224.3: Temperature 76.6°C ${rising} in about 4 min.`,
		`${worsened} at 1221 peak 112.1: Temperature 78.3°C ${rising} in about 2 min.`,
		`${worsened} at 1278 peak 55.1: Temperature 79.2°C ${rising} in less than a minute.`,
		`fired ${breach} at 1337 peak 80.1: Temperature 80.1°C exceeded threshold of 80.0°C.`,
		`${resolved} at 1337 (ended 1337) peak 0: Temperature 80.0°C ${rising} in less than a minute.`,
	]);
});

test('noisy ramp: one prediction, no flapping at the horizon nor when the value wavers about the level', (t) => {
	const random = createPrng(7);
	const {lines} = runTrace(
		ramp(0, 1400, (seconds) => linear(seconds) + noise(random) * 0.5),
	);
	t.deepEqual(
		lines.filter((line) => line.includes('PREDICTED')),
		[
			`${fired} at 443 peak 899.7: Temperature 66.7°C ${rising} in about 15 min.`,
			`${worsened} at 885 peak 449.4: Temperature 73.4°C ${rising} in about 7 min.`,
			`${worsened} at 1113 peak 224.6: Temperature 76.7°C ${rising} in about 4 min.`,
			`${worsened} at 1221 peak 111.9: Temperature 78.3°C ${rising} in about 2 min.`,
			`${worsened} at 1280 peak 55: Temperature 79.1°C ${rising} in less than a minute.`,
			`${resolved} at 1332 (ended 1332) peak 4.5: Temperature 79.8°C ${rising} in less than a minute.`,
		],
	);
	// The breach itself flaps about 80 °C (it has no clear_margin): that is its own rule's.
	t.is(lines.filter((line) => line.startsWith(`fired ${breach}`)).length, 4);
});

test('a ramp that levels off: resolves once the line no longer reaches crit within 1.2 horizons', (t) => {
	t.deepEqual(
		runTrace(ramp(0, 1400, (seconds) => linear(Math.min(seconds, 600)))).lines,
		[
			`${fired} at 433 peak 899.8: Temperature 66.5°C ${rising} in about 15 min.`,
			`${resolved} at 722 (ended 722) peak 725.2: Temperature 69.0°C ${rising} in about 12 min.`,
		],
	);
});

test('a ramp across a silence: resolves when the silence passes heartbeat_timeout_s, and the window starts again', (t) => {
	const steps = [...ramp(0, 700, linear), ...ramp(712, 1400, linear)];
	t.deepEqual(runTrace(steps).lines, [
		`${fired} at 433 peak 899.8: Temperature 66.5°C ${rising} in about 15 min.`,
		`${resolved} at 712 (ended 705) peak 632.9: Temperature 70.5°C ${rising} in about 11 min.`,
		'fired HEARTBEAT_LOSS at 712 peak 12: No data received for 12.0 seconds. Device may be offline.',
		'resolved HEARTBEAT_LOSS at 712 (ended 712) peak 12: No data received for 12.0 seconds. Device may be offline.',
		// Half a window (150 s) of readings after the silence before a line is drawn again.
		`${fired} at 862 peak 471.2: Temperature 72.9°C ${rising} in about 8 min.`,
		`${worsened} at 1098 peak 235.1: Temperature 76.5°C ${rising} in about 4 min.`,
		`${worsened} at 1216 peak 117.2: Temperature 78.2°C ${rising} in about 2 min.`,
		`${worsened} at 1275 peak 58.1: Temperature 79.1°C ${rising} in less than a minute.`,
		`fired ${breach} at 1337 peak 80.1: Temperature 80.1°C exceeded threshold of 80.0°C.`,
		`${resolved} at 1337 (ended 1337) peak 0: Temperature 80.0°C ${rising} in less than a minute.`,
	]);
});

test('a reconnect restarts the window: the prediction resolves at the reconnect', (t) => {
	const steps: TraceStep[] = [
		...ramp(0, 700, linear),
		{at: 700.5, reconnect: true},
		...ramp(701, 860, linear),
	];
	t.deepEqual(runTrace(steps).lines, [
		`${fired} at 433 peak 899.8: Temperature 66.5°C ${rising} in about 15 min.`,
		`${resolved} at 701 (ended 700.5) peak 632.9: Temperature 70.5°C ${rising} in about 11 min.`,
		`${fired} at 851 peak 481.6: Temperature 72.8°C ${rising} in about 8 min.`,
	]);
});

test('a falling ramp aims at the crit level below; the wording says falling', (t) => {
	const settings = traceSettings(predictSpec({above: null, below: 10}), []);
	const {lines, detector} = runTrace(
		ramp(0, 300, (seconds) => 30 - 0.05 * seconds),
		settings,
	);
	// 30 °C falling 3 °C/min reaches 10 °C at 400 s: the first line is drawn at 150 s.
	t.deepEqual(lines, [
		`${fired} at 150 peak 250.5: Temperature 22.5°C falling 3.0°C/min; reaches 10.0°C in about 4 min.`,
		`${worsened} at 275 peak 125.2: Temperature 16.3°C falling 3.0°C/min; reaches 10.0°C in about 2 min.`,
	]);
	const [prediction, ...others] = detector.predictions(traceStart + 300_000);
	t.deepEqual(others, []);
	t.like(prediction, {
		field: 'temperature',
		type: 'PREDICTED_BREACH_TEMPERATURE',
		target: 10,
		direction: 'falling',
	});
	t.true(Math.abs(prediction!.crossingAt - (traceStart + 400_000)) < 1000);
	t.true(Math.abs(prediction!.ratePerS + 0.05) < 1e-3);
});

test('predictions(): one per predict rule whose incident is open, none before or after', (t) => {
	const detector = createDetector(traceSettings());
	runTrace(ramp(0, 400, linear), traceSettings(), detector);
	t.deepEqual(detector.predictions(traceStart + 400_000), []);
	runTrace(ramp(401, 500, linear), traceSettings(), detector);
	const [prediction] = detector.predictions(traceStart + 500_000);
	t.is(prediction?.target, 80);
	t.is(prediction?.direction, 'rising');
	t.true(Math.abs(prediction!.crossingAt - (traceStart + 1_333_333)) < 2000);
	runTrace(ramp(501, 1400, linear), traceSettings(), detector);
	t.deepEqual(detector.predictions(traceStart + 1_400_000), []);
});

test('a checkpoint mid-trace goes on as if never interrupted', (t) => {
	const steps = [...ramp(0, 1400, linear)];
	const whole = runTrace(steps).lines;
	for (const cut of [300, 433, 700, 1300]) {
		const first = runTrace(steps.filter(({at}) => at <= cut));
		// Through JSON, as a checkpoint file: the state must survive it, not only a clone.
		// eslint-disable-next-line unicorn/prefer-structured-clone, @typescript-eslint/no-unsafe-type-assertion
		const state = JSON.parse(
			JSON.stringify(first.detector.save()),
		) as DetectorState;
		const second = runTrace(
			steps.filter(({at}) => at > cut),
			traceSettings(),
			createDetector(traceSettings(), {state}),
		);
		t.deepEqual([...first.lines, ...second.lines], whole, `cut at ${cut}`);
	}
});

test('a retune to a shorter horizon resolves the open prediction at the next reading; its own description stays', (t) => {
	const detector = createDetector(traceSettings());
	const {lines} = runTrace(ramp(0, 500, linear), traceSettings(), detector);
	t.is(lines.length, 1);
	t.deepEqual(
		detector.retune(traceSettings(predictSpec({horizon_s: 300}))),
		[],
	);
	const after = runTrace(ramp(501, 502, linear), traceSettings(), detector);
	t.deepEqual(after.lines, [
		`${resolved} at 501 (ended 501) peak 832.8: Temperature 67.5°C ${rising} in about 14 min.`,
	]);
});

test('property: on an exact linear ramp the predicted crossing is within one reading interval of the true one', (t) => {
	let predicted = 0;
	fc.assert(
		fc.property(
			fc.record({
				intervalMs: fc.integer({min: 100, max: 10_000}),
				// °C per second, towards the level either way.
				rate: fc.double({min: 0.001, max: 5, noNaN: true}),
				rising: fc.boolean(),
				start: fc.double({min: -50, max: 50, noNaN: true}),
				distance: fc.double({min: 1, max: 500, noNaN: true}),
				windowS: fc.integer({min: 10, max: 600}),
				horizonS: fc.integer({min: 10, max: 3600}),
			}),
			({intervalMs, rate, rising, start, distance, windowS, horizonS}) => {
				const level = rising ? start + distance : start - distance;
				const slope = rising ? rate : -rate;
				const settings = {
					...traceSettings(
						predictSpec({
							window_s: windowS,
							horizon_s: horizonS,
							above: rising ? level : null,
							below: rising ? null : level,
						}),
						[],
					),
					heartbeat_timeout_s: (intervalMs / 1000) * 2,
				};
				const detector = createDetector(settings);
				const crossingMs = (distance / rate) * 1000;
				for (let ms = 0, line = 1; ms < crossingMs; ms += intervalMs, line++) {
					detector.observeReading(traceStart + ms, line, {
						values: [start + (slope * ms) / 1000],
						level: 'NORMAL',
					});
					for (const prediction of detector.predictions(traceStart + ms)) {
						predicted++;
						const error = Math.abs(
							prediction.crossingAt - (traceStart + crossingMs),
						);
						if (error > intervalMs) {
							throw new Error(
								`at ${ms} ms: predicted ${prediction.crossingAt - traceStart} ms, true ${crossingMs} ms`,
							);
						}
					}
				}
			},
		),
		{numRuns: 200},
	);
	// Most runs reach the horizon before the crossing: the property was put to the test.
	t.true(predicted > 1000, `${predicted} predictions`);
});

test('a day-long window at 100 readings a second keeps at most 4097 of them (in memory and in the checkpoint), spread over the window', (t) => {
	// 60 °C rising 0.9 °C/min, as above, read every 10 ms for 25 minutes: 150,000 readings,
	// every one of them inside the 86,400 s window.
	const settings = {
		...traceSettings(predictSpec({window_s: 86_400, horizon_s: 900})),
		heartbeat_timeout_s: 5,
	};
	const detector = createDetector(settings);
	const intervalMs = 10;
	const endMs = 1_300_000;
	for (let ms = 0, line = 1; ms <= endMs; ms += intervalMs, line++) {
		detector.observeReading(traceStart + ms, line, {
			values: [linear(ms / 1000)],
			level: 'NORMAL',
		});
	}

	const window = detector.save().rules['PREDICTED_BREACH_TEMPERATURE']?.window;
	t.truthy(window);
	const {times} = window!;
	t.true(times.length <= 4097, `${times.length} readings kept`);
	// Spread at the window's resolution (86,400 s / 4096 = 21.1 s): all of the 1300 s so far,
	// one reading in about 21 s, not the latest 4096 readings (41 s of them).
	t.true(times.length >= 60, `${times.length} readings kept`);
	t.true(
		times[0]! - traceStart < 30_000,
		`first kept at ${times[0]! - traceStart} ms`,
	);
	const gaps = times.slice(1).map((time, index) => time - times[index]!);
	t.true(
		Math.min(...gaps) >= 86_400_000 / 4096,
		`gaps ${Math.min(...gaps)} ms`,
	);

	// Too few seconds for half of a day-long window: no line is drawn, nothing predicted.
	t.deepEqual(detector.predictions(traceStart + endMs), []);
});

test("a window holding more readings than it keeps predicts an exact ramp's crossing as a sparse one does", (t) => {
	// A 600 s window read every 10 ms holds 60,000 readings; it keeps one in 146 ms at most.
	const settings = {
		...traceSettings(predictSpec({window_s: 600, horizon_s: 900})),
		heartbeat_timeout_s: 5,
	};
	const detector = createDetector(settings);
	const kept: number[] = [];
	const errors: number[] = [];
	for (let ms = 0, line = 1; ms <= 1_300_000; ms += 10, line++) {
		detector.observeReading(traceStart + ms, line, {
			values: [linear(ms / 1000)],
			level: 'NORMAL',
		});
		if (ms % 60_000 === 0) {
			const state = detector.save().rules['PREDICTED_BREACH_TEMPERATURE'];
			kept.push(state?.window?.times.length ?? 0);
			for (const prediction of detector.predictions(traceStart + ms)) {
				errors.push(Math.abs(prediction.crossingAt - (traceStart + 1_333_333)));
			}
		}
	}

	t.true(Math.max(...kept) <= 4097, `kept ${kept.join(', ')}`);
	t.true(errors.length >= 10, `${errors.length} predictions checked`);
	t.true(Math.max(...errors) < 1000, `errors ${errors.join(', ')} ms`);
});
