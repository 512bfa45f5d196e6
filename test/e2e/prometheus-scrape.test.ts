// A real Prometheus scrapes `serialwatch --demo --headless --metrics` every second while the
// failure scenario plays; the test asks Prometheus's HTTP API what it stored.
import {spawn} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {createServer, type AddressInfo} from 'node:net';
import {join} from 'node:path';
import test from 'ava';
import {runCli, startCli, stopOnTeardown} from '../helpers/cli.js';
import {waitLimit} from '../helpers/patience.js';
import {requirePrometheus} from '../helpers/prometheus.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';

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

test('a real Prometheus scrapes the demo: the temperature, the line counter growing, the temperature breach going to 1 and back to 0', async (t) => {
	if (!requirePrometheus(t)) {
		return;
	}

	const dir = temporaryDirectory(t, 'prometheus');
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

	// Rate 3: the breach lasts the 8 readings from 74.35 °C to the drop back to 25 °C,
	// about 2.7 s, so two or three scrapes a second apart see it; it ends ~12 s in.
	const serialwatch = stopOnTeardown(
		t,
		startCli(
			[
				'--demo',
				'--headless',
				'--scenario',
				'failure',
				'--rate',
				'3',
				'--out',
				join(dir, 'data'),
				'--metrics',
				`127.0.0.1:${metricsPort}`,
			],
			{cwd: dir},
		),
	);

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

	const breach = await poll(
		'serialwatch_incidents_active{rule="THRESHOLD_BREACH_TEMP"} to go 0 -> 1 -> 0',
		45_000,
		async () => {
			const [series] = await query(
				'serialwatch_incidents_active{rule="THRESHOLD_BREACH_TEMP"}[2m]',
			);
			const values = (series?.values ?? []).map(([, value]) => value).join('');
			return /0+1+0/.test(values) ? {series, values} : undefined;
		},
	).catch((error: unknown) => {
		throw new Error(
			`${String(error)}\nserialwatch stderr:\n${serialwatch.stderr()}\nPrometheus:\n${prometheusLog}`,
		);
	});
	t.log(`THRESHOLD_BREACH_TEMP active, scrape by scrape: ${breach.values}`);
	t.is(breach.series?.metric['device'], 'demo');
	t.is(breach.series?.metric['job'], 'serialwatch');

	const [temperature] = await query('serialwatch_temperature_celsius[2m]');
	const temperatures = (temperature?.values ?? []).map(([, value]) =>
		Number(value),
	);
	t.true(temperatures.length > 0, 'temperature samples');
	t.true(
		temperatures.some((value) => value > 70),
		`the ramp to 95.5 °C was scraped: ${temperatures.join(' ')}`,
	);

	const [lines] = await query('serialwatch_lines_total[2m]');
	const counts = (lines?.values ?? []).map(([, value]) => Number(value));
	t.true(
		counts.length >= 2 && counts.at(-1)! > counts[0]!,
		`lines_total grew: ${counts.join(' ')}`,
	);
	t.true(
		counts.every((count, index) => index === 0 || count >= counts[index - 1]!),
		'a counter never goes down',
	);

	const portUp = await query('serialwatch_port_up == 1');
	t.is(portUp.length, 1, 'the demo port is open');
});

test('--metrics on an address in use: exit 1 before the run begins, one line naming the address and the fix', async (t) => {
	const dir = temporaryDirectory(t, 'metrics-taken');
	const taken = createServer();
	await new Promise<void>((resolve) => {
		taken.listen(0, '127.0.0.1', resolve);
	});
	t.teardown(() => {
		taken.close();
	});
	// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- a TCP listener's address
	const {port} = taken.address() as AddressInfo;
	const result = await runCli(
		[
			'--demo',
			'--headless',
			'--out',
			join(dir, 'data'),
			'--metrics',
			`127.0.0.1:${port}`,
		],
		{cwd: dir},
	);
	t.is(result.code, 1);
	// The run has no config.yaml (said first), and one line on what went wrong.
	t.is(
		result.stderr,
		'serialwatch: no config.yaml here: the built-in defaults apply (serialwatch init writes one to edit)\n' +
			`serialwatch: the Prometheus exporter cannot listen on 127.0.0.1:${port}: the address is in use (another serialwatch, or another exporter?); choose another address with --metrics HOST:PORT or exporters.prometheus.listen in the config file\n`,
	);
	t.is(result.stdout, '');
});
