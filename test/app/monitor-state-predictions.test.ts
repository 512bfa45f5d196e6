import test from 'ava';
import {defaultConfig, detectorSettings} from '../../source/core/config.js';
import type {Prediction} from '../../source/core/prediction.js';
import {createMonitorState} from '../../source/app/monitor-state.js';
import {createDashboardStore} from '../../source/app/dashboard-store.js';
import {startedAt} from '../helpers/monitor-snapshot.js';
import {incidentEvent} from '../helpers/incident-events.js';
import {alertSummary} from '../../source/ui/alert-summary.js';

function builtinState() {
	const settings = detectorSettings(defaultConfig);
	return createMonitorState({
		config: defaultConfig,
		profile: settings.profile,
		settings,
		configPath: 'config.yaml',
		configSource: 'file',
		demo: false,
		startedAt,
		reportPath: 'r.json',
		lineCounts: () => ({lines: 0, valid: 0, malformed: 0}),
	});
}

const temperature: Prediction = {
	field: 'temperature',
	type: 'PREDICTED_BREACH_TEMPERATURE',
	target: 80,
	direction: 'rising',
	crossingAt: startedAt + 480_000,
	ratePerS: 0.015,
};

test('nothing predicted: every field has none, from the start', (t) => {
	const state = builtinState();
	t.deepEqual(state.snapshot(startedAt).predicted, [
		undefined,
		undefined,
		undefined,
	]);
});

test('a prediction lands beside its field, as crossing time, target and direction; a status field or an unknown name gets none', (t) => {
	const state = builtinState();
	state.refreshPredictions([
		temperature,
		{...temperature, field: 'status', type: 'PREDICTED_BREACH_STATUS'},
		{...temperature, field: 'pressure', type: 'PREDICTED_BREACH_PRESSURE'},
	]);
	const snapshot = state.snapshot(startedAt + 1000);
	t.deepEqual(snapshot.predicted, [
		{target: 80, direction: 'rising', crossingAt: startedAt + 480_000},
		undefined,
		undefined,
	]);
	// It crosses to the screen's process by structured clone.
	t.deepEqual(structuredClone(snapshot).predicted, snapshot.predicted);
});

test('each refresh replaces the last: a prediction left out no longer holds', (t) => {
	const state = builtinState();
	state.refreshPredictions([temperature]);
	state.refreshPredictions([
		{
			...temperature,
			field: 'voltage',
			type: 'PREDICTED_BREACH_VOLTAGE_LOW',
			target: 4.5,
			direction: 'falling',
		},
	]);
	t.deepEqual(state.snapshot(startedAt).predicted, [
		undefined,
		{target: 4.5, direction: 'falling', crossingAt: startedAt + 480_000},
		undefined,
	]);
	state.refreshPredictions([]);
	t.deepEqual(state.snapshot(startedAt).predicted, [
		undefined,
		undefined,
		undefined,
	]);
});

test('the store shows the predictions of the snapshot it shows: a pause keeps the frozen ones', (t) => {
	const state = builtinState();
	const store = createDashboardStore(() => undefined);
	state.refreshPredictions([temperature]);
	store.receive(state.snapshot(startedAt));
	store.togglePause(startedAt);
	state.refreshPredictions([]);
	store.receive(state.snapshot(startedAt + 1000));
	t.truthy(store.getSnapshot().shown?.predicted[0]);
	t.is(store.getSnapshot().live?.predicted[0], undefined);
	store.togglePause(startedAt + 2000);
	t.is(store.getSnapshot().shown?.predicted[0], undefined);
});

test("a prediction's alert row says where the trend heads and its shortest time, not a peak beside a limit in another unit", (t) => {
	const config = {
		...defaultConfig,
		thresholds: {
			...defaultConfig.thresholds,
			temperature: {
				...defaultConfig.thresholds.temperature,
				predict: {window_s: 300, horizon_s: 900, min_readings: 5},
			},
		},
	};
	const settings = detectorSettings(config);
	const state = createMonitorState({
		config,
		profile: settings.profile,
		settings,
		configPath: 'config.yaml',
		configSource: 'file',
		demo: false,
		startedAt,
		reportPath: 'r.json',
		lineCounts: () => ({lines: 0, valid: 0, malformed: 0}),
	});
	state.onEvents([
		incidentEvent('fired', {
			type: 'PREDICTED_BREACH_TEMP',
			id: 'PREDICTED_BREACH_TEMP-1',
			value: 480,
			peak: 480,
			threshold: 85,
		}),
		incidentEvent('fired'),
	]);
	const {alerts} = state.snapshot(startedAt);
	const row = (type: string) => alerts.find((alert) => alert.type === type)!;
	t.is(alertSummary(row('PREDICTED_BREACH_TEMP')), '→ 85 in 8m');
	t.is(alertSummary(row('THRESHOLD_BREACH_TEMP')), 'peak 86.00°C > 85°C');
});
