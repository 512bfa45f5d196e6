import {spawnSync} from 'node:child_process';
import {setTimeout} from 'node:timers/promises';
import test, {type ExecutionContext} from 'ava';
import {openPrometheusExporter} from '../../source/app/prometheus-exporter.js';
import {defaultConfig, detectorSettings} from '../../source/core/config.js';
import type {Prediction} from '../../source/core/prediction.js';
import type {DetectorSettings, RuleSpec} from '../../source/core/rule-spec.js';
import {requirePromtool} from '../helpers/prometheus.js';

const run = {port: '/dev/ttyUSB0', device: 'oven'};
const startedAt = Date.UTC(2026, 0, 1, 12, 0, 0);
const builtin = detectorSettings(defaultConfig);

/** A predict rule as the detector's settings hold one (kind, field, type, window and horizon). */
function predictRule(field: string): RuleSpec {
	// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- a kind the settings may not list yet
	return {
		kind: 'predict',
		type: `PREDICTED_BREACH_${field.toUpperCase()}`,
		field,
		window_s: 300,
		horizon_s: 900,
	} as unknown as RuleSpec;
}

/** The built-in device with predict rules on its temperature, its voltage and (ignored) its status. */
const predicting: DetectorSettings = {
	...builtin,
	rules: [
		...builtin.rules,
		predictRule('temperature'),
		predictRule('voltage'),
		predictRule('status'),
	],
};

async function scrape(
	t: ExecutionContext,
	settings: DetectorSettings,
	predictions: () => readonly Prediction[] = () => [],
) {
	let now = startedAt;
	const exporter = await openPrometheusExporter(
		'127.0.0.1:0',
		defaultConfig,
		run,
		{
			startedAt,
			settings,
			predictions,
			clock: () => now,
		},
	);
	t.teardown(async () => exporter.close(1000));
	return {
		async text(at = now) {
			now = at;
			// Past the server's reuse of one formatting, so the scrape reads the new clock.
			await setTimeout(300);
			const response = await fetch(`http://${exporter.address}/metrics`);
			t.is(response.status, 200);
			return response.text();
		},
	};
}

/** The predicted_breach_seconds samples: the field label to the value as written. */
function predicted(text: string): Record<string, string> {
	return Object.fromEntries(
		[
			...text.matchAll(
				/^serialwatch_predicted_breach_seconds{port="\/dev\/ttyUSB0",device="oven",field="(\w+)"} (\S+)$/gm,
			),
		].map((match) => [match[1]!, match[2]!]),
	);
}

const temperature: Prediction = {
	field: 'temperature',
	type: 'PREDICTED_BREACH_TEMPERATURE',
	target: 80,
	direction: 'rising',
	crossingAt: startedAt + 480_000,
	ratePerS: 0.015,
};

test('no predict rule (the built-in device as shipped): no predicted_breach series at all', async (t) => {
	const exporter = await scrape(t, builtin, () => [temperature]);
	const text = await exporter.text();
	t.false(text.includes('predicted_breach'));
});

test('each number field with a predict rule has its series from the start, at +Inf; a status field none', async (t) => {
	const exporter = await scrape(t, predicting);
	const text = await exporter.text();
	t.deepEqual(predicted(text), {temperature: '+Inf', voltage: '+Inf'});
	t.regex(text, /^# TYPE serialwatch_predicted_breach_seconds gauge$/m);
});

test('the seconds left count down with the clock at each scrape, 0 once due, +Inf when the prediction goes', async (t) => {
	let held: Prediction[] = [temperature];
	const exporter = await scrape(t, predicting, () => held);
	t.deepEqual(predicted(await exporter.text(startedAt)), {
		temperature: '480',
		voltage: '+Inf',
	});
	t.deepEqual(predicted(await exporter.text(startedAt + 180_500)), {
		temperature: '299.5',
		voltage: '+Inf',
	});
	t.deepEqual(predicted(await exporter.text(startedAt + 600_000)), {
		temperature: '0',
		voltage: '+Inf',
	});
	held = [
		{
			...temperature,
			field: 'voltage',
			type: 'PREDICTED_BREACH_VOLTAGE',
			target: 4.5,
			direction: 'falling',
			crossingAt: startedAt + 700_000,
		},
	];
	t.deepEqual(predicted(await exporter.text(startedAt + 640_000)), {
		temperature: '+Inf',
		voltage: '60',
	});
});

test('promtool check metrics accepts the series, with and without a prediction', async (t) => {
	if (!requirePromtool(t)) {
		return;
	}

	let held: Prediction[] = [];
	const exporter = await scrape(t, predicting, () => held);
	const check = (text: string) => {
		const result = spawnSync('promtool', ['check', 'metrics'], {
			input: text,
			encoding: 'utf8',
		});
		t.is(result.status, 0, `${result.stdout}${result.stderr}`);
		t.is(
			`${result.stdout}${result.stderr}`.trim(),
			'',
			'no lint warnings either',
		);
	};

	check(await exporter.text());
	held = [temperature];
	const text = await exporter.text(startedAt + 1234);
	t.is(predicted(text)['temperature'], '478.766');
	check(text);
});
