import test, {type ExecutionContext} from 'ava';
import {defaultConfig} from '../../source/core/config.js';
import type {
	DeviceProfile,
	NumberField,
} from '../../source/core/device-profile.js';
import type {Prediction} from '../../source/core/prediction.js';
import type {DetectorSettings} from '../../source/core/rule-spec.js';
import {createMonitorState} from '../../source/app/monitor-state.js';
import {timeLeft} from '../../source/ui/prediction-text.js';
import {startedAt} from '../helpers/monitor-snapshot.js';
import {renderState} from '../helpers/render-dashboard.js';
import {waitUntil} from '../helpers/wait-until.js';

function numberField(
	name: string,
	label: string,
	unit: string,
	decimals: number,
): NumberField {
	return {
		type: 'number',
		name,
		key: name,
		label,
		unit,
		range: [-50, 200],
		decimals,
		optional: false,
		metric: undefined,
	};
}

const fields: NumberField[] = [
	numberField('temperature', 'Temperature', '°C', 1),
	numberField('humidity', 'Humidity', '%', 1),
	numberField('battery', 'Battery', 'V', 2),
	numberField('light', 'Light', 'lx', 0),
	numberField('co2', 'CO2', 'ppm', 0),
	numberField('pressure', 'Pressure', 'hPa', 1),
	numberField('current', 'Current', 'A', 2),
	numberField('wind', 'Wind speed', 'm/s', 1),
];

const minute = 60_000;

/** A rising temperature 8 minutes from 80.0 °C, as the detector would hand it on. */
function rising(now: number): Prediction {
	return {
		field: 'temperature',
		type: 'PREDICTED_BREACH_TEMPERATURE',
		target: 80,
		direction: 'rising',
		crossingAt: now + 8 * minute,
		ratePerS: 0.015,
	};
}

/** A state of the first `count` fields after 60 readings, its time, and the settings. */
function stateOf(count: number) {
	const profile: DeviceProfile = {
		name: 'oven',
		builtin: false,
		format: {type: 'pairs', assign: ':=', separators: ','},
		unknownKeys: 'ignore',
		fields: fields.slice(0, count),
	};
	const settings: DetectorSettings = {
		profile,
		rules: [
			{
				kind: 'above',
				type: 'THRESHOLD_BREACH_TEMPERATURE',
				field: 'temperature',
				warn: 70,
				crit: 80,
				for_s: 0,
				clear_margin: 0.5,
			},
		],
		heartbeat_timeout_s: 5,
		parse_errors: {max_per_min: 10},
	};
	const counts = {lines: 0, valid: 0, malformed: 0};
	const state = createMonitorState({
		config: defaultConfig,
		profile,
		settings,
		configPath: 'config.yaml',
		configSource: 'file',
		demo: true,
		startedAt,
		reportPath: 'data/anomaly_report.json',
		lineCounts: () => counts,
	});
	let time = startedAt;
	for (let index = 0; index < 60; index++) {
		time += 1000;
		counts.lines++;
		counts.valid++;
		state.onReadings([
			{
				time,
				reading: {
					values: Array.from({length: count}, (_, column) =>
						column === 0 ? 65 + index * 0.1 : 3.9 + column - index * 0.001,
					),
					level: 'NORMAL',
				},
			},
		]);
	}

	return {state, time};
}

async function drawn(
	t: ExecutionContext,
	{count, columns, rows}: {count: number; columns: number; rows: number},
	predictions: (now: number) => Prediction[],
) {
	const {state, time} = stateOf(count);
	state.refreshPredictions(predictions(time));
	const dashboard = renderState(t, state, time);
	await dashboard.resize(columns, rows);
	return dashboard;
}

for (const count of [1, 3, 8]) {
	for (const [columns, rows] of [
		[80, 24],
		[120, 40],
	] as const) {
		test(`${count} number field${count === 1 ? '' : 's'} at ${columns}x${rows}: the temperature's line says where it is heading and when, and every line still fits`, async (t) => {
			const dashboard = await drawn(t, {count, columns, rows}, (now) => [
				rising(now),
			]);
			t.log(`\n${dashboard.frame()}`);
			const lines = dashboard.screen();
			t.is(lines.length, rows);
			t.true(
				lines.every((line) => line.length < columns),
				'no line wider than the terminal less its last column',
			);
			const withArrow = lines.filter((line) => line.includes('→'));
			// The large chart's label line, and with more fields than two charts its row too.
			t.is(withArrow.length, count > 2 ? 2 : 1);
			for (const line of withArrow) {
				t.true(line.includes('→ 80.0°C in 8m'), `line: ${line}`);
				t.regex(line, /Temperature/);
			}
		});
	}
}

test('8 fields at 80x24, two predicted, one falling: each row shows its own, in its decimals and unit', async (t) => {
	const dashboard = await drawn(t, {count: 8, columns: 80, rows: 24}, (now) => [
		rising(now),
		{
			field: 'battery',
			type: 'PREDICTED_BREACH_BATTERY_LOW',
			target: 3.3,
			direction: 'falling',
			crossingAt: now + 45_200,
			ratePerS: -0.001,
		},
	]);
	const lines = dashboard.screen();
	t.true(lines.every((line) => line.length < 80));
	const battery = lines.find((line) => line.startsWith(' Battery'))!;
	t.true(battery.includes('→ 3.30V in 46s'), `battery: ${battery}`);
	const temperature = lines.find((line) => line.startsWith('▸Temperature'))!;
	t.true(temperature.includes('→ 80.0°C in 8m'), `temperature: ${temperature}`);
	// One column layout: the predictions, then the bars, start at the same place in each row.
	t.is(battery.indexOf('→'), temperature.indexOf('→'));
	const barsAt = (line: string) => line.search(/[▁-█]/);
	const humidity = lines.find((line) => line.startsWith(' Humidity'))!;
	t.is(barsAt(battery), barsAt(temperature));
	t.is(barsAt(humidity), barsAt(temperature));
});

test('the time left counts down with the screen clock alone, between snapshots', async (t) => {
	const dashboard = await drawn(t, {count: 1, columns: 80, rows: 24}, (now) => [
		rising(now),
	]);
	t.true(dashboard.frame().includes('→ 80.0°C in 8m'));
	// No new snapshot: the clock moves, and the next redraw of the clock shows it.
	dashboard.setNow(dashboard.time + 5 * minute);
	await waitUntil(
		() => dashboard.frame().includes('→ 80.0°C in 3m'),
		'the prediction counted down to 3 minutes',
	);
	dashboard.setNow(dashboard.time + 8 * minute - 4500);
	await waitUntil(
		() => dashboard.frame().includes('→ 80.0°C in 5s'),
		'the prediction counted down to 5 seconds',
	);
	dashboard.setNow(dashboard.time + 9 * minute);
	await waitUntil(
		() => dashboard.frame().includes('→ 80.0°C now'),
		'the prediction due',
	);
});

test('the arrow goes when the prediction no longer holds, and a pause freezes its count', async (t) => {
	const dashboard = await drawn(t, {count: 3, columns: 80, rows: 24}, (now) => [
		rising(now),
	]);
	await dashboard.press('p');
	dashboard.setNow(dashboard.time + 5 * minute);
	// Paused, the screen's clock stands still: the count too.
	await new Promise((resolve) => {
		setTimeout(resolve, 1500);
	});
	t.true(dashboard.frame().includes('→ 80.0°C in 8m'));
	await dashboard.press('p', () =>
		dashboard.frame().includes('→ 80.0°C in 3m'),
	);
	dashboard.state.refreshPredictions([]);
	await dashboard.publish(dashboard.time + 5 * minute + 1000);
	t.false(dashboard.frame().includes('→'));
});

test('time left: seconds rounded up under a minute, minutes to the nearest, then hours and days', (t) => {
	t.is(timeLeft(0), 'now');
	t.is(timeLeft(-5000), 'now');
	t.is(timeLeft(1), 'in 1s');
	t.is(timeLeft(59_000), 'in 59s');
	t.is(timeLeft(59_001), 'in 1m');
	t.is(timeLeft(60_000), 'in 1m');
	t.is(timeLeft(8 * minute - 20_000), 'in 8m');
	t.is(timeLeft(59 * minute + 29_000), 'in 59m');
	t.is(timeLeft(59 * minute + 31_000), 'in 1h00m');
	t.is(timeLeft(125 * minute), 'in 2h05m');
	t.is(timeLeft(76 * 60 * minute), 'in 3d04h');
});
