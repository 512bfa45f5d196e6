// A real Prometheus scrapes the exporter of a declared device (examples/csv.yaml) while
// `emulate` plays its tour on a socat pair; its query API gives back the declared fields'
// gauges under the names metric-names.ts derives, in base units.
import {spawn} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {createServer, type AddressInfo} from 'node:net';
import {join} from 'node:path';
import test from 'ava';
import {createVirtualPair} from '../../source/adapters/virtual-pair.js';
import {startCli, stopOnTeardown} from '../helpers/cli.js';
import {exampleWorkspace} from '../helpers/example-tour.js';
import {waitLimit} from '../helpers/patience.js';
import {requirePrometheus} from '../helpers/prometheus.js';
import {requireSocat} from '../helpers/socat.js';

/** A port nobody listens on now (the kernel's choice, let go at once). */
async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => {
		server.listen(0, '127.0.0.1', resolve);
	});
	// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- a TCP listener's address
	const {port} = server.address() as AddressInfo;
	await new Promise((resolve) => {
		server.close(resolve);
	});
	return port;
}

async function poll<T>(
	what: string,
	timeoutMs: number,
	attempt: () => Promise<T | undefined>,
): Promise<T> {
	const deadline = Date.now() + waitLimit(timeoutMs);
	for (;;) {
		// eslint-disable-next-line no-await-in-loop -- one attempt at a time, in order
		const result = await attempt().catch(() => undefined);
		if (result !== undefined) {
			return result;
		}

		if (Date.now() > deadline) {
			throw new Error(`timed out waiting for ${what}`);
		}

		// eslint-disable-next-line no-await-in-loop
		await new Promise((resolve) => {
			setTimeout(resolve, 500);
		});
	}
}

type Series = {metric: Record<string, string>; values: Array<[number, string]>};

test('a real Prometheus scrapes examples/csv.yaml: temperature in celsius, humidity in percent, pressure in pascals (hPa x 100), the line counter growing', async (t) => {
	if (!requirePrometheus(t) || !requireSocat(t)) {
		return;
	}

	const workspace = exampleWorkspace(t, 'csv');
	const {dir} = workspace;
	const [metricsPort, prometheusPort] = [await freePort(), await freePort()];
	writeFileSync(
		join(dir, 'prometheus.yml'),
		[
			'global:',
			'  scrape_interval: 1s',
			'  scrape_timeout: 1s',
			'scrape_configs:',
			'  - job_name: serialwatch',
			'    static_configs:',
			`      - targets: ['127.0.0.1:${metricsPort}']`,
			'',
		].join('\n'),
	);
	const prometheus = spawn(
		'prometheus',
		[
			`--config.file=${join(dir, 'prometheus.yml')}`,
			`--storage.tsdb.path=${join(dir, 'tsdb')}`,
			`--web.listen-address=127.0.0.1:${prometheusPort}`,
			'--log.level=warn',
		],
		{cwd: dir, stdio: ['ignore', 'ignore', 'pipe']},
	);
	let prometheusLog = '';
	prometheus.stderr.setEncoding('utf8').on('data', (text: string) => {
		prometheusLog += text;
	});
	const prometheusExited = new Promise((resolve) => {
		prometheus.on('exit', resolve);
	});
	t.teardown(async () => {
		prometheus.kill('SIGTERM');
		await prometheusExited;
	});
	const api = `http://127.0.0.1:${prometheusPort}`;
	await poll('Prometheus to be ready', 30_000, async () => {
		const response = await fetch(`${api}/-/ready`);
		return response.ok ? true : undefined;
	}).catch((error: unknown) => {
		throw new Error(`${String(error)}\n${prometheusLog}`);
	});

	const pair = await createVirtualPair(workspace.device, workspace.monitorSide);
	t.teardown(async () => pair.close());
	const monitor = stopOnTeardown(
		t,
		startCli([
			'--headless',
			'--config',
			workspace.configPath,
			'--metrics',
			`127.0.0.1:${metricsPort}`,
		]),
	);
	await monitor.waitFor(/listening on/);
	// The tour's first minute is enough: its calm stretch and the temperature's bands. The
	// emulator is stopped at teardown.
	stopOnTeardown(t, startCli(['emulate', '--config', workspace.configPath]));

	const query = async (promql: string): Promise<Series[]> => {
		const response = await fetch(
			`${api}/api/v1/query?query=${encodeURIComponent(promql)}`,
		);
		// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- Prometheus's documented answer
		const body = (await response.json()) as {
			status: string;
			data: {result: Series[]};
		};
		return body.status === 'success' ? body.data.result : [];
	};

	const samples = async (name: string, count: number) =>
		poll(`${count} samples of ${name}`, 60_000, async () => {
			const [series] = await query(`${name}[2m]`);
			const values = (series?.values ?? []).map(([, value]) => Number(value));
			return values.length >= count ? {series, values} : undefined;
		}).catch((error: unknown) => {
			throw new Error(
				`${String(error)}\nserialwatch stderr:\n${monitor.stderr()}\nPrometheus:\n${prometheusLog}`,
			);
		});

	const temperature = await samples('serialwatch_temperature_celsius', 5);
	t.is(
		temperature.series?.metric['device'],
		'weather',
		'device: the declared name',
	);
	t.is(temperature.series?.metric['job'], 'serialwatch');
	t.true(
		temperature.values.every((value) => value >= -40 && value <= 85),
		`within the declared range: ${temperature.values.join(' ')}`,
	);
	const humidity = await samples('serialwatch_humidity_percent', 5);
	t.true(
		humidity.values.every((value) => value >= 0 && value <= 100),
		`percent, as declared: ${humidity.values.join(' ')}`,
	);
	const pressure = await samples('serialwatch_pressure_pascals', 5);
	t.true(
		pressure.values.every((value) => value >= 30_000 && value <= 110_000),
		`hPa scaled to pascals: ${pressure.values.join(' ')}`,
	);

	const lines = await samples('serialwatch_lines_total', 3);
	t.true(
		lines.values.at(-1)! > lines.values[0]!,
		`lines_total grew: ${lines.values.join(' ')}`,
	);
	const portUp = await query('serialwatch_port_up == 1');
	t.is(portUp.length, 1, 'the port is open');
});
