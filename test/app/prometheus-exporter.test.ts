import {spawnSync} from 'node:child_process';
import {createServer, type AddressInfo} from 'node:net';
import test, {type ExecutionContext} from 'ava';
import {IntegrationError} from '../../source/app/integration-error.js';
import {openPrometheusExporter} from '../../source/app/prometheus-exporter.js';
import {formatSummary} from '../../source/app/run-summary.js';
import {emptyReportSummary} from '../../source/core/report-summary.js';
import {
	defaultConfig,
	type AlertSinkConfig,
	type Config,
} from '../../source/core/config.js';
import {requirePromtool} from '../helpers/prometheus.js';
import {builtinReading} from '../helpers/builtin-reading.js';

const run = {port: '/dev/ttyUSB0', device: 'oven'};
const webhook: AlertSinkConfig = {
	type: 'webhook',
	url: 'http://127.0.0.1:1/hook',
	url_env: null,
	name: null,
	min_severity: 'WARNING',
	rules: null,
	queue_max: 10,
	timeout_s: 1,
};
const config: Config = {...defaultConfig, alerts: {sinks: [webhook]}};

async function openExporter(t: ExecutionContext) {
	const exporter = await openPrometheusExporter('127.0.0.1:0', config, run);
	t.teardown(async () => exporter.close(1000));
	return exporter;
}

test('/metrics answers in the text format, with the run, the process and the build', async (t) => {
	const exporter = await openExporter(t);
	exporter.onStatus?.({state: 'open', path: run.port});
	exporter.onReadings?.([
		{
			time: Date.now(),
			line: 1,
			reading: builtinReading({
				temperature: 42.5,
				voltage: 5.1,
				status: 'OK',
				level: 'NORMAL',
			}),
		},
	]);
	const response = await fetch(`http://${exporter.address}/metrics`);
	t.is(response.status, 200);
	t.regex(
		response.headers.get('content-type') ?? '',
		/^text\/plain; version=0\.0\.4/,
	);
	const text = await response.text();
	t.regex(
		text,
		/^serialwatch_temperature_celsius{port="\/dev\/ttyUSB0",device="oven"} 42\.5$/m,
	);
	t.regex(
		text,
		/^serialwatch_port_up{port="\/dev\/ttyUSB0",device="oven"} 1$/m,
	);
	t.regex(text, /^serialwatch_notifications_total{sink="webhook"} 0$/m);
	t.regex(text, /^serialwatch_build_info{version="[^"]+"} 1$/m);
	t.regex(text, /^process_cpu_seconds_total \S+$/m);
	t.regex(text, /^nodejs_heap_size_used_bytes \S+$/m);
	t.deepEqual(exporter.health(), [
		{name: `prometheus ${exporter.address}`, ok: true, detail: '1 scrape'},
	]);
});

test('/ links to /metrics, /-/healthy is 200 while the run is on, the rest is 404 or 405', async (t) => {
	const exporter = await openExporter(t);
	const base = `http://${exporter.address}`;
	const home = await fetch(`${base}/`);
	t.is(home.status, 200);
	t.regex(home.headers.get('content-type') ?? '', /^text\/html/);
	t.regex(await home.text(), /<a href="\/metrics">/);
	const healthy = await fetch(`${base}/-/healthy`);
	t.is(healthy.status, 200);
	const status = async (path: string, method = 'GET') => {
		const response = await fetch(`${base}${path}`, {method});
		return response.status;
	};

	t.is(await status('/metrics.json'), 404);
	t.is(await status('/metrics', 'POST'), 405);
	t.is(await status('/metrics?x=1'), 200);
});

test('once closed it answers no more', async (t) => {
	const exporter = await openPrometheusExporter('127.0.0.1:0', config, run);
	const url = `http://${exporter.address}/-/healthy`;
	const before = await fetch(url);
	t.is(before.status, 200);
	await exporter.close(1000);
	await t.throwsAsync(fetch(url));
});

test('a close at the stop is no failure: the run summary, read after it, does not say FAILING', async (t) => {
	const exporter = await openPrometheusExporter('127.0.0.1:0', config, run);
	await exporter.close(1000);
	const summary = formatSummary({
		source: 'demo',
		stats: {lines: 0, valid: 0, malformed: 0},
		report: emptyReportSummary(),
		paths: {},
		integrations: exporter.health(),
	});
	t.regex(summary, /^prometheus 127\.0\.0\.1:\d+: 0 scrapes$/m);
	t.notRegex(summary, /FAILING/);
});

test('an address in use: no exporter, and the message names the address and both ways to change it', async (t) => {
	const taken = createServer();
	await new Promise<void>((resolve) => {
		taken.listen(0, '127.0.0.1', resolve);
	});
	t.teardown(() => {
		taken.close();
	});
	// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- a TCP listener's address
	const address = taken.address() as AddressInfo;
	const listen = `127.0.0.1:${address.port}`;
	const error = await t.throwsAsync(
		openPrometheusExporter(listen, config, run),
		{instanceOf: IntegrationError},
	);
	t.regex(
		error.message,
		new RegExp(`cannot listen on ${listen}: the address is in use`),
	);
	t.regex(error.message, /--metrics HOST:PORT/);
	t.regex(error.message, /exporters\.prometheus\.listen/);
});

test('promtool check metrics accepts the output', async (t) => {
	if (!requirePromtool(t)) {
		return;
	}

	const exporter = await openExporter(t);
	exporter.onReadings?.([
		{
			time: Date.now(),
			line: 1,
			reading: builtinReading({
				temperature: 80,
				voltage: 5,
				status: 'WARNING_TEMP',
				level: 'WARNING',
			}),
		},
	]);
	const response = await fetch(`http://${exporter.address}/metrics`);
	const text = await response.text();
	const check = spawnSync('promtool', ['check', 'metrics'], {
		input: text,
		encoding: 'utf8',
	});
	t.is(check.status, 0, `${check.stdout}${check.stderr}`);
	t.is(`${check.stdout}${check.stderr}`.trim(), '', 'no lint warnings either');
});
