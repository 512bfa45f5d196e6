// A predict rule added or removed while the run goes on, with /metrics on: the detector
// judges by the new rules at once, but the gauge's series are the start's, and the run
// says so rather than leave /metrics silently behind.
import {join} from 'node:path';
import test from 'ava';
import {defaultConfig, type Config} from '../../source/core/config.js';
import {diffConfig} from '../../source/core/config-diff.js';
import {createVirtualPair} from '../../source/adapters/virtual-pair.js';
import {openMonitorSession} from '../../source/app/monitor-session.js';
import {freePort} from '../helpers/real-server.js';
import {requireSocat} from '../helpers/socat.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';

const ignore = () => undefined;

const withPredict = (config: Config): Config => ({
	...config,
	thresholds: {
		...config.thresholds,
		temperature: {
			...config.thresholds.temperature,
			predict: {window_s: 60, horizon_s: 900},
		},
	},
});

test('a predict rule added live with /metrics on: the run says its gauge series follows from the next start, while the rules differ from the start’s; back to them, nothing', async (t) => {
	t.timeout(60_000);
	if (!requireSocat(t)) {
		return;
	}

	const dir = temporaryDirectory(t, 'predict-retune');
	const pair = await createVirtualPair(
		join(dir, 'device'),
		join(dir, 'monitor'),
	);
	t.teardown(async () => pair.close());
	const port = await freePort();
	const config: Config = {
		...defaultConfig,
		serial: {...defaultConfig.serial, port: join(dir, 'monitor')},
		output: {...defaultConfig.output, dir: join(dir, 'data')},
		exporters: {
			...defaultConfig.exporters,
			prometheus: {listen: `127.0.0.1:${port}`},
		},
	};
	const notices: string[] = [];
	const session = openMonitorSession(
		{config, signal: new AbortController().signal},
		{
			onEvents: ignore,
			onStatus: ignore,
			onNotice(text) {
				notices.push(text);
			},
		},
	);
	t.teardown(async () => {
		session.stop();
		await session.finished.catch(() => undefined);
	});
	await session.start();
	const said = () =>
		notices.filter((text) => text.includes('predicted_breach_seconds'));

	const added = withPredict(config);
	await session.retune(added, diffConfig(config, added));
	t.deepEqual(said(), [
		'/metrics: serialwatch_predicted_breach_seconds keeps the fields the run started with (none); restart to follow the predict rules as edited',
	]);

	const warmer: Config = {
		...added,
		thresholds: {
			...added.thresholds,
			temperature: {...added.thresholds.temperature, max_c: 85},
		},
	};
	await session.retune(warmer, diffConfig(added, warmer));
	t.is(said().length, 2, 'still not the start’s fields');

	await session.retune(config, diffConfig(warmer, config));
	t.is(said().length, 2, 'back to the start’s fields: nothing to say');
});
