// A real Alertmanager (Debian's 0.25) receiving a demo run's alerts, and routing them to
// its webhook receiver: a local HTTP server in the test.
import {createServer} from 'node:http';
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {startCli, stopOnTeardown} from '../helpers/cli.js';
import {readJson} from '../helpers/json.js';
import {patienceMs} from '../helpers/patience.js';
import {freePort, requireBinary, startServer} from '../helpers/real-server.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {waitUntil} from '../helpers/wait-until.js';

type Alert = {
	labels: Record<string, string>;
	annotations: Record<string, string>;
	status?: {state: string};
	startsAt: string;
	endsAt: string;
};

/** The webhook's payload: each alert's status is `firing` or `resolved`. */
type Notification = {
	status: string;
	alerts: Array<{labels: Record<string, string>; status: string}>;
};

test("a demo run's incidents fire in Alertmanager with their labels, then resolve; its webhook gets them grouped", async (t) => {
	if (
		!requireBinary(
			t,
			'prometheus-alertmanager',
			'prometheus-alertmanager',
			'a real Alertmanager',
		)
	) {
		return;
	}

	const notifications: Notification[] = [];
	const hook = createServer((request, response) => {
		let body = '';
		request.on('data', (chunk: Uint8Array) => {
			body += chunk.toString();
		});
		request.on('end', () => {
			notifications.push(readJson<Notification>(body, {text: true}));
			response.writeHead(200).end();
		});
	});
	await new Promise<void>((resolve) => {
		hook.listen(0, '127.0.0.1', resolve);
	});
	t.teardown(() => {
		hook.closeAllConnections();
		hook.close();
	});
	const hookAddress = hook.address();
	const hookPort =
		typeof hookAddress === 'object' && hookAddress ? hookAddress.port : 0;

	const dir = temporaryDirectory(t, 'alertmanager');
	const port = await freePort();
	writeFileSync(
		join(dir, 'alertmanager.yml'),
		[
			'route:',
			'  receiver: hook',
			'  group_by: [device]',
			'  group_wait: 1s',
			'  group_interval: 1s',
			'  repeat_interval: 1h',
			'receivers:',
			'  - name: hook',
			'    webhook_configs:',
			`      - url: http://127.0.0.1:${hookPort}/hook`,
			'        send_resolved: true',
			'',
		].join('\n'),
	);
	const base = `http://127.0.0.1:${port}`;
	await startServer(
		t,
		[
			'prometheus-alertmanager',
			`--config.file=${join(dir, 'alertmanager.yml')}`,
			`--storage.path=${join(dir, 'data')}`,
			`--web.listen-address=127.0.0.1:${port}`,
			'--cluster.listen-address=',
		],
		`${base}/-/ready`,
	);

	const out = join(dir, 'out');
	mkdirSync(out);
	writeFileSync(
		join(dir, 'config.yaml'),
		[
			'thresholds:',
			'  heartbeat_timeout_s: 1',
			'device:',
			'  name: oven',
			'alerts:',
			'  sinks:',
			// Firing alerts would expire two minutes on: a resolution seen sooner was sent.
			`    - {type: alertmanager, url: ${base}, resend_interval_s: 30}`,
			'',
		].join('\n'),
	);
	const run = stopOnTeardown(
		t,
		startCli([
			'--demo',
			'--headless',
			'--scenario',
			'failure',
			'--rate',
			'20',
			'--duration',
			'8',
			'--config',
			join(dir, 'config.yaml'),
			'--out',
			out,
		]),
	);

	const alertsNow = async () => {
		const response = await fetch(`${base}/api/v2/alerts`);
		return readJson<Alert[]>(await response.text(), {text: true});
	};

	let firing: Alert | undefined;
	const deadline = Date.now() + patienceMs;
	while (firing === undefined && Date.now() < deadline) {
		// eslint-disable-next-line no-await-in-loop
		const alerts = await alertsNow();
		// It fires as a warning (past warn_c), then worsens to critical.
		firing = alerts.find(
			(alert) =>
				alert.labels['alertname'] === 'THRESHOLD_BREACH_TEMP' &&
				alert.labels['severity'] === 'critical',
		);
		// eslint-disable-next-line no-await-in-loop
		await new Promise((resolve) => {
			setTimeout(resolve, 100);
		});
	}

	t.like(firing, {
		labels: {
			alertname: 'THRESHOLD_BREACH_TEMP',
			severity: 'critical',
			port: 'demo',
			device: 'oven',
			field: 'temperature',
		},
		status: {state: 'active'},
	});
	t.regex(firing?.labels['incident_id'] ?? '', /.+/);
	t.regex(firing?.annotations['summary'] ?? '', /.+/);
	t.regex(firing?.annotations['raw_lines'] ?? '', /^\d+-\d+$/);

	t.is(await run.exited, 0);
	// The breach resolved during the run: Alertmanager shows it no more, and tells the hook.
	await waitUntil(
		() =>
			notifications.some((notification) =>
				notification.alerts.some(
					(alert) =>
						alert.status === 'resolved' &&
						alert.labels['incident_id'] === firing?.labels['incident_id'],
				),
			),
		'the hook hears the breach resolved',
		15_000,
	);
	const still = await alertsNow();
	t.false(
		still.some(
			(alert) => alert.labels['incident_id'] === firing?.labels['incident_id'],
		),
	);
	// Grouped by device: one notification carries several rules' alerts.
	t.true(
		notifications.some(
			(notification) =>
				new Set(notification.alerts.map((alert) => alert.labels['alertname']))
					.size >= 2,
		),
	);
});
