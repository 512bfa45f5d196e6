// A real InfluxDB 1.6 (Debian's) receiving a demo run's readings and incident events.
import {readFileSync, writeFileSync, mkdirSync} from 'node:fs';
import {join} from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {runCli} from '../helpers/cli.js';
import {freePort, requireBinary, startServer} from '../helpers/real-server.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {linesOf} from '../helpers/wait-until.js';
import {openInfluxWriter} from '../../source/adapters/influxdb-writer.js';
import {defaultConfig} from '../../source/core/config.js';
import {greenhouse} from '../helpers/declared-profiles.js';
import {patienceMs} from '../helpers/patience.js';

type QueryAnswer = {
	results: Array<{
		series?: Array<{
			tags?: Record<string, string>;
			columns: string[];
			values: Array<Array<number | string>>;
		}>;
	}>;
};

async function query(base: string, text: string): Promise<QueryAnswer> {
	const response = await fetch(
		`${base}/query?db=sw&q=${encodeURIComponent(text)}`,
		{method: 'POST'},
	);
	// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- InfluxDB's documented answer
	return (await response.json()) as QueryAnswer;
}

/** A real influxd on free ports with a database `sw`, stopped at teardown: its HTTP base URL. */
async function startInflux(t: ExecutionContext, dir: string): Promise<string> {
	const [httpPort, rpcPort] = [await freePort(), await freePort()];
	const configPath = join(dir, 'influxdb.conf');
	// Only the HTTP API, on free ports; the RPC port (8088 by default) moved too.
	writeFileSync(
		configPath,
		[
			'reporting-disabled = true',
			`bind-address = "127.0.0.1:${rpcPort}"`,
			'[meta]',
			`  dir = "${join(dir, 'meta')}"`,
			'[data]',
			`  dir = "${join(dir, 'data')}"`,
			`  wal-dir = "${join(dir, 'wal')}"`,
			'  query-log-enabled = false',
			'[http]',
			`  bind-address = "127.0.0.1:${httpPort}"`,
			'  log-enabled = false',
			'[monitor]',
			'  store-enabled = false',
			'[continuous_queries]',
			'  enabled = false',
			'[subscriber]',
			'  enabled = false',
			'',
		].join('\n'),
	);
	const base = `http://127.0.0.1:${httpPort}`;
	await startServer(
		t,
		['influxd', 'run', '-config', configPath],
		`${base}/ping`,
	);
	await query(base, 'CREATE DATABASE sw');
	return base;
}

test('every reading of a demo run is a point in InfluxDB 1.6, and its incident events too', async (t) => {
	if (!requireBinary(t, 'influxd', 'influxdb', 'a real InfluxDB 1.x')) {
		return;
	}

	const dir = temporaryDirectory(t, 'influxdb');
	const base = await startInflux(t, dir);
	const out = join(dir, 'out');
	mkdirSync(out);
	writeFileSync(
		join(dir, 'config.yaml'),
		[
			'thresholds:',
			'  heartbeat_timeout_s: 1',
			'device:',
			'  name: oven 1',
			'exporters:',
			'  influxdb:',
			`    url: ${base}`,
			'    database: sw',
			'    flush_interval_s: 0.2',
			'',
		].join('\n'),
	);
	const run = await runCli([
		'--demo',
		'--headless',
		'--scenario',
		'failure',
		'--rate',
		'20',
		'--duration',
		'6',
		'--config',
		join(dir, 'config.yaml'),
		'--out',
		out,
	]);
	if (run.code !== 0) {
		t.log(run.stderr);
	}

	t.is(run.code, 0);
	const rows = linesOf(
		readFileSync(join(out, 'structured_metrics.csv'), 'utf8'),
	).slice(1);
	t.true(rows.length >= 30);
	// Readings stamped in the same millisecond are one point (a demo timer that fell
	// behind on a busy machine plays its late lines at once); what the close deadline
	// left unsent is counted as dropped in the summary.
	const stamps = new Set(rows.map((row) => row.split(',')[0])).size;
	const dropped = Number(
		/influxdb[^\n]*?(\d+) dropped/.exec(run.stderr)?.[1] ?? Number.NaN,
	);
	t.false(Number.isNaN(dropped), `${run.stderr}`);
	const points = stamps - dropped;
	t.true(points >= 30, `${stamps} stamps, ${dropped} dropped`);

	const counted = await query(
		base,
		`SELECT count(temperature), count(voltage), count(status) FROM serialwatch WHERE device = 'oven 1'`,
	);
	const [temperature, voltage, status] =
		counted.results[0]?.series?.[0]?.values[0]?.slice(1) ?? [];
	t.deepEqual([voltage, status], [temperature, temperature]);
	// A batch in flight at the deadline is counted dropped, yet may have arrived.
	t.true(
		Number(temperature) >= points && Number(temperature) <= stamps,
		`${String(temperature)} points for ${stamps} stamps, ${dropped} dropped`,
	);
	const incidents = await query(
		base,
		`SELECT count(id) FROM serialwatch_incident WHERE rule = 'THRESHOLD_BREACH_TEMP' GROUP BY event`,
	);
	const events = new Set(
		(incidents.results[0]?.series ?? []).map(
			(series) => series.tags?.['event'],
		),
	);
	t.true(events.has('fired'));
	t.true(events.has('resolved'));
});

test('a token variable that is not set: the run does not begin, and says which variable', async (t) => {
	const dir = temporaryDirectory(t, 'influxdb-token');
	writeFileSync(
		join(dir, 'config.yaml'),
		[
			'exporters:',
			'  influxdb:',
			'    url: http://127.0.0.1:1',
			'    version: 2',
			'    org: lab',
			'    bucket: sw',
			'    token_env: SERIALWATCH_TEST_UNSET_TOKEN',
			'',
		].join('\n'),
	);
	const run = await runCli([
		'--demo',
		'--headless',
		'--duration',
		'5',
		'--config',
		join(dir, 'config.yaml'),
		'--out',
		join(dir, 'out'),
	]);
	// As a bad config: exit 2, as for an alert sink's secret not set.
	t.is(run.code, 2, `${run.stderr}`);
	t.regex(run.stderr, /SERIALWATCH_TEST_UNSET_TOKEN, which is not set/);
});

test("a declared device's readings are points with a field per declared field: numbers as floats, the status as text, its level beside it", async (t) => {
	if (!requireBinary(t, 'influxd', 'influxdb', 'a real InfluxDB 1.x')) {
		return;
	}

	const dir = temporaryDirectory(t, 'influxdb-declared');
	const base = await startInflux(t, dir);
	const notices: string[] = [];
	const writer = openInfluxWriter(
		{
			...defaultConfig.exporters.influxdb,
			url: base,
			database: 'sw',
			flush_interval_s: 0.1,
		},
		{port: '/dev/ttyACM0', device: 'greenhouse-3'},
		{
			profile: greenhouse,
			environment: {},
			notice(text) {
				notices.push(text);
			},
		},
	);
	const start = Date.parse('2026-12-01T10:00:00.000Z');
	writer.onReadings?.([
		{time: start, line: 1, reading: {values: [23, 45, 'OK'], level: 'NORMAL'}},
		{
			time: start + 1000,
			line: 2,
			reading: {values: [31.5, undefined, 'HOT_SUN'], level: 'WARNING'},
		},
	]);
	await writer.close(patienceMs);
	t.deepEqual(notices, []);
	t.like(writer.health()[0], {ok: true});
	const answer = await query(
		base,
		`SELECT temperature, humidity, state, level FROM serialwatch WHERE device = 'greenhouse-3'`,
	);
	const series = answer.results[0]?.series?.[0];
	t.deepEqual(series?.columns, [
		'time',
		'temperature',
		'humidity',
		'state',
		'level',
	]);
	t.deepEqual(
		series?.values.map((row) => row.slice(1)),
		[
			[23, 45, 'OK', 'NORMAL'],
			[31.5, null, 'HOT_SUN', 'WARNING'],
		],
	);
	// Floats, not integers: 23 and 45 went in as numbers a later 23.5 can join.
	const types = await query(base, 'SHOW FIELD KEYS FROM serialwatch');
	t.deepEqual(
		Object.fromEntries(
			(types.results[0]?.series?.[0]?.values ?? []).map(([key, type]) => [
				key,
				type,
			]),
		),
		{humidity: 'float', level: 'string', state: 'string', temperature: 'float'},
	);
});
