import test, {type ExecutionContext} from 'ava';
import {render} from 'ink-testing-library';
import {defaultConfig} from '../../source/core/config.js';
import type {
	DeviceProfile,
	FieldValue,
	NumberField,
} from '../../source/core/device-profile.js';
import type {DetectorSettings, RuleSpec} from '../../source/core/rule-spec.js';
import {createMonitorState} from '../../source/app/monitor-state.js';
import {createDashboardStore} from '../../source/app/dashboard-store.js';
import {Dashboard} from '../../source/ui/dashboard.js';
import {startedAt} from '../helpers/monitor-snapshot.js';
import {waitUntil} from '../helpers/wait-until.js';

function numberField(
	name: string,
	label: string,
	unit: string,
	decimals = 1,
): NumberField {
	return {
		type: 'number',
		name,
		key: name,
		label,
		unit,
		range: [-1000, 100_000],
		decimals,
		optional: false,
		metric: undefined,
	};
}

const eight: NumberField[] = [
	numberField('temperature', 'Temperature', '°C', 2),
	numberField('humidity', 'Humidity', '%'),
	numberField('pressure', 'Pressure', 'hPa'),
	numberField('light', 'Light', 'lx', 0),
	numberField('co2', 'CO2', 'ppm', 0),
	numberField('battery', 'Battery', 'V', 2),
	numberField('current', 'Current', 'A', 2),
	numberField('wind', 'Wind speed', 'm/s'),
];

function profileOf(fields: NumberField[], status: boolean): DeviceProfile {
	return {
		name: 'greenhouse',
		builtin: false,
		format: {type: 'pairs', assign: ':=', separators: ','},
		unknownKeys: 'ignore',
		fields: [
			...fields,
			...(status
				? [
						{
							type: 'status' as const,
							name: 'state',
							key: 'st',
							label: 'State',
							optional: false,
							levels: [
								{
									match: 'exact' as const,
									value: 'OK',
									level: 'NORMAL' as const,
								},
								{
									match: 'exact' as const,
									value: 'HOT',
									level: 'WARNING' as const,
								},
							],
						},
					]
				: []),
		],
	};
}

const rules: RuleSpec[] = [
	{
		kind: 'above',
		type: 'THRESHOLD_BREACH_TEMPERATURE',
		field: 'temperature',
		warn: 30,
		crit: 35,
		for_s: 0,
		clear_margin: 0.5,
	},
	{
		kind: 'change',
		type: 'RAPID_CHANGE_TEMPERATURE',
		field: 'temperature',
		max: 2,
		per: 'reading',
	},
	{
		kind: 'below',
		type: 'THRESHOLD_BREACH_HUMIDITY',
		field: 'humidity',
		warn: null,
		crit: 20,
		for_s: 0,
		clear_margin: 0,
	},
	{
		kind: 'outside',
		type: 'RANGE_HUMIDITY',
		field: 'humidity',
		low: 30,
		high: 80,
		severity: 'WARNING',
		for_s: 0,
		clear_margin: 0,
	},
	{
		kind: 'below',
		type: 'THRESHOLD_BREACH_BATTERY',
		field: 'battery',
		warn: 3.5,
		crit: 3.3,
		for_s: 0,
		clear_margin: 0,
	},
];

/** A dashboard of `profile` after 60 readings from `valuesAt`, at `columns`x`rows`. */
async function renderDeclared(
	t: ExecutionContext,
	profile: DeviceProfile,
	valuesAt: (index: number) => FieldValue[],
	size: {
		columns: number;
		rows: number;
		/** How long after the last reading the screen is drawn. */
		afterMs?: number;
	},
) {
	const {columns, rows, afterMs = 500} = size;
	const settings: DetectorSettings = {
		profile,
		rules: rules.filter((rule) =>
			profile.fields.some((field) => field.name === rule.field),
		),
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
		time += 100;
		counts.lines++;
		counts.valid++;
		const values = valuesAt(index);
		const level = values.includes('HOT') ? 'WARNING' : 'NORMAL';
		state.onReadings([{time, reading: {values, level}}]);
	}

	const store = createDashboardStore(() => undefined);
	store.receive(state.snapshot(time + afterMs));
	const ink = render(<Dashboard store={store} clock={() => time + afterMs} />);
	t.teardown(() => {
		ink.unmount();
	});
	Object.defineProperty(ink.stdout, 'columns', {
		get: () => columns,
		configurable: true,
	});
	Object.defineProperty(ink.stdout, 'rows', {
		get: () => rows,
		configurable: true,
	});
	ink.stdout.emit('resize');
	const frame = () => ink.lastFrame() ?? '';
	// ink-testing-library's terminal is 100 columns wide until the resize is drawn.
	const drawn = () => {
		const lines = frame().split('\n');
		return (
			lines.length === rows &&
			lines.every((line) => line.length < columns) &&
			lines.some((line) => line.length >= Math.min(columns, 100) - 12)
		);
	};

	await waitUntil(drawn, `the dashboard drawn at ${columns}x${rows}`);
	return {
		frame,
		screen: () => frame().split('\n'),
		async press(keys: string) {
			await waitUntil(
				() => ink.stdin.listenerCount('readable') > 0,
				'the dashboard listens to keys',
			);
			const before = frame();
			ink.stdin.write(keys);
			await waitUntil(() => frame() !== before, `the effect of ${keys}`);
		},
	};
}

/** Eight moving fields, a status; humidity drops below 20 % at the end. */
function eightValues(index: number): FieldValue[] {
	return [
		24 + (index % 5) * 0.5,
		index < 55 ? 45 + (index % 7) : 18,
		1013.2 + (index % 3) * 0.1,
		300 + index * 10,
		420 + (index % 11),
		3.7 - index * 0.005,
		0.25 + (index % 4) * 0.01,
		index % 9,
		index < 58 ? 'OK' : 'HOT',
	];
}

test('8 number fields at 80x24: every field on the reading line, a row each, the first charted large, and the table still there', async (t) => {
	const {screen, frame, press} = await renderDeclared(
		t,
		profileOf(eight, true),
		eightValues,
		{columns: 80, rows: 24},
	);
	t.log(`\n${frame()}`);
	const lines = screen();
	t.is(lines.length, 24);
	t.true(
		lines.every((line) => line.length < 80),
		'no line wider than 79',
	);
	// Too many fields for their names and units: the values in field order, as the rows
	// below list them with their units.
	t.is(
		lines[2]!,
		'26.00 18.0 1013.4 890 424 3.41 0.28 5.0 HOT · last line 0.5s ago',
	);
	t.regex(
		lines[3]!,
		/^Temperature min .* °C \(warn >30\.0 max >35\.0 Δ>2\.0\)/,
	);
	const rows = lines.slice(5, 13);
	t.deepEqual(
		rows.map((line) => line.slice(0, 13).trimEnd()),
		[
			'▸Temperature',
			' Humidity',
			' Pressure',
			' Light',
			' CO2',
			' Battery',
			' Current',
			' Wind speed',
		],
	);
	t.regex(rows[1]!, /^ Humidity\s+18\.0% [▁-█]+$/);
	t.regex(lines[13]!, /^No malformed lines|^Last bad line/);
	t.regex(lines[14]!, /^Alerts/);
	t.regex(lines.at(-1)!, /f field/);

	await press('f');
	t.regex(
		screen()[3]!,
		/^Humidity min 18\.0 max 51\.0 last 18\.0 % \(min <20\.0 range 30\.0-80\.0\)/,
	);
	t.regex(screen()[6]!, /^▸Humidity/);
	await press('F');
	t.regex(screen()[3]!, /^Temperature/);
	await press('F');
	t.regex(screen()[3]!, /^Wind speed .*\(no rule\)/);
});

test('8 number fields at 120x40: a taller large chart above the rows; at 200x50 the names fit on the reading line', async (t) => {
	const {screen, frame} = await renderDeclared(
		t,
		profileOf(eight, true),
		eightValues,
		{columns: 120, rows: 40},
	);
	t.log(`\n${frame()}`);
	const lines = screen();
	t.is(lines.length, 40);
	t.regex(
		lines[2]!,
		/^26\.00°C 18\.0% 1013\.4hPa .* HOT · last line 0\.5s ago$/,
	);
	t.regex(lines[3]!, /^Temperature/);
	// chartHeight(40) is 7 bars; the rows follow it.
	t.regex(lines[11]!, /^▸Temperature/);
	t.regex(lines[18]!, /^ Wind speed/);
	t.regex(lines[19]!, /^No malformed lines/);

	const wide = await renderDeclared(t, profileOf(eight, true), eightValues, {
		columns: 200,
		rows: 50,
	});
	t.regex(
		wide.screen()[2]!,
		/^temperature 26\.00°C humidity 18\.0% pressure 1013\.4hPa light 890lx co2 424ppm battery 3\.41V current 0\.28A wind 5\.0m\/s state HOT · last line 0\.5s ago$/,
	);
});

test('2 number fields: two full charts as the built-in device has, names on the reading line', async (t) => {
	const {screen, frame} = await renderDeclared(
		t,
		profileOf(eight.slice(0, 2), false),
		(index) => eightValues(index).slice(0, 2),
		{columns: 80, rows: 24},
	);
	t.log(`\n${frame()}`);
	const lines = screen();
	t.is(lines.length, 24);
	t.regex(
		lines[2]!,
		/^temperature 26\.00°C humidity 18\.0% · last line 0\.5s ago$/,
	);
	t.regex(lines[3]!, /^Temperature min/);
	t.regex(lines[5]!, /^Humidity min 18\.0 max 51\.0 last 18\.0 %/);
	t.notRegex(lines.at(-1)!, /f field/);
	t.regex(lines[7]!, /^No malformed lines/);
});

test('too narrow even for the bare values: the heartbeat comes first, so a silence is never what is cut', async (t) => {
	const {screen, frame} = await renderDeclared(
		t,
		profileOf(eight, true),
		eightValues,
		{columns: 60, rows: 16, afterMs: 7000},
	);
	t.log(`\n${frame()}`);
	const lines = screen();
	t.regex(
		lines[2]!,
		/^last line 7\.0s ago SILENT · HOT 26\.00 18\.0 1013\.4 890 424/,
	);
	t.true(lines[2]!.length <= 59);
	// Rows as many as leave the table its smallest size, the picked one among them.
	t.regex(lines[5]!, /^▸Temperature/);
	t.regex(lines.at(-1)!, /f/);
});

test('? at 80x24 with 3 number fields: each help line whole on a row of its own, what does not fit announced', async (t) => {
	const {screen, frame, press} = await renderDeclared(
		t,
		profileOf(eight.slice(0, 3), false),
		(index) => eightValues(index).slice(0, 3),
		{columns: 80, rows: 24},
	);
	await press('?');
	t.log(`\n${frame()}`);
	const lines = screen();
	t.is(lines.length, 24);
	t.regex(lines.at(-1)!, /^p pause/);
	const help = [
		'Keys',
		'p          pause/resume the display (reading, logging and detection go on)',
		'r          write anomaly_report.json now',
		'c          clear resolved alerts from the table (the report keeps them)',
		'l          show/hide the last lines received, as raw.log has them',
		'↑ ↓        scroll the alert table by a row',
		'f F        next/previous field in the large chart',
		'PgUp PgDn  scroll the alert table by a page',
		'Home       back to the newest alert',
		'?          show/hide this help',
		'q, Ctrl+C  quit: flush the files, write the final report',
		'',
		'Edit config.yaml while this runs to retune the thresholds; the change shows',
		'above the alerts.',
		'Times are UTC, as in the files (ui.timezone). Report: data/anomaly_report.json',
	];
	const first = lines.indexOf('Keys');
	t.true(first > 0, 'the help is shown');
	// 14 rows below the notice for 15 lines of help: 13 lines, each whole on its own row
	// and in order, then how many are below.
	t.deepEqual(lines.slice(first, -1), [
		...help.slice(0, 13),
		'… 2 more lines below: a taller terminal shows them',
	]);

	// A row more and the whole help fits, with nothing announced.
	const taller = await renderDeclared(
		t,
		profileOf(eight.slice(0, 3), false),
		(index) => eightValues(index).slice(0, 3),
		{columns: 80, rows: 25},
	);
	await taller.press('?');
	t.log(`\n${taller.frame()}`);
	const tallerLines = taller.screen();
	t.deepEqual(tallerLines.slice(tallerLines.indexOf('Keys'), -1), help);
});
