// The time left to a predicted crossing after the wall clock steps back, on a real PTY pair:
// the detector's time line then runs ahead of the wall clock, and a crossing time on it
// would show the step's length as extra time on the screen and in /metrics.
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {SerialPort} from 'serialport';
import {defaultConfig, type Config} from '../../source/core/config.js';
import {closePort, openPort} from '../../source/adapters/serial-port-io.js';
import {createVirtualPair} from '../../source/adapters/virtual-pair.js';
import {openMonitorSession} from '../../source/app/monitor-session.js';
import {freePort} from '../helpers/real-server.js';
import {requireSocat} from '../helpers/socat.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {linesOf, waitUntil} from '../helpers/wait-until.js';

const ignore = () => undefined;
const hourMs = 3_600_000;

test('after a clock step back, the predicted time left on the screen and in /metrics is the trend’s, not an hour more', async (t) => {
	t.timeout(60_000);
	if (!requireSocat(t)) {
		return;
	}

	const dir = temporaryDirectory(t, 'predict-clock');
	const device = join(dir, 'device');
	const monitor = join(dir, 'monitor');
	const pair = await createVirtualPair(device, monitor);
	const writer = new SerialPort({
		path: device,
		baudRate: 115_200,
		autoOpen: false,
	});
	await openPort(writer);
	t.teardown(async () => {
		await closePort(writer).catch(() => undefined);
		await pair.close();
	});

	const port = await freePort();
	const config: Config = {
		...defaultConfig,
		serial: {...defaultConfig.serial, port: monitor},
		output: {...defaultConfig.output, dir: join(dir, 'data')},
		thresholds: {
			...defaultConfig.thresholds,
			// Long enough that the fake clock's steps between lines are no silence.
			heartbeat_timeout_s: 600,
			temperature: {
				...defaultConfig.thresholds.temperature,
				predict: {window_s: 60, horizon_s: 900},
			},
		},
		exporters: {
			...defaultConfig.exporters,
			prometheus: {listen: `127.0.0.1:${port}`},
		},
	};
	let wall = Date.parse('2026-11-24T10:00:00.000Z');
	const session = openMonitorSession(
		{config, signal: new AbortController().signal, clock: () => wall},
		{onEvents: ignore, onStatus: ignore, onNotice: ignore},
	);
	t.teardown(async () => {
		session.stop();
		await session.finished.catch(() => undefined);
	});
	await session.start();

	const rawLines = () =>
		existsSync(join(dir, 'data', 'raw.log'))
			? linesOf(readFileSync(join(dir, 'data', 'raw.log'), 'utf8')).length
			: 0;
	// 40 °C rising 0.1 °C/s, a line every 2 s: 80 °C is reached 400 s after the first.
	const first = wall;
	const send = async (k: number) => {
		wall = first + k * 2000;
		writer.write(`T:${(40 + 0.2 * k).toFixed(1)},V:5.0,S:NORMAL\n`);
		// Raw.log is written after the detector has taken the line.
		await waitUntil(() => rawLines() > k, `line ${k} in raw.log`);
	};

	const timeLeftS = () => {
		const [prediction] = session.predictions();
		return prediction === undefined
			? undefined
			: (prediction.crossingAt - wall) / 1000;
	};

	const gauge = async () => {
		const response = await fetch(`http://127.0.0.1:${port}/metrics`);
		const text = await response.text();
		const match = /^serialwatch_predicted_breach_seconds{[^}]*} (\S+)$/m.exec(
			text,
		);
		return Number(match?.[1]);
	};

	for (let k = 0; k < 30; k++) {
		// Paced so that each line is taken at its own fake time.
		// eslint-disable-next-line no-await-in-loop
		await send(k);
	}

	await waitUntil(() => timeLeftS() !== undefined, 'a prediction');
	// Line 29 was at 58 s: 342 s left, within a reading interval.
	t.true(Math.abs(timeLeftS()! - 342) < 3, `before: ${timeLeftS()} s`);

	// The wall clock steps back an hour; the device goes on.
	const back = first + 30 * 2000 - hourMs;
	wall = back;
	writer.write('T:46.0,V:5.0,S:NORMAL\n');
	await waitUntil(() => rawLines() > 30, 'the line after the step back');
	t.true(Math.abs(timeLeftS()! - 340) < 3, `after: ${timeLeftS()} s`);

	// /metrics counts from the same clock at each scrape.
	const scraped = await gauge();
	t.true(Math.abs(scraped - 340) < 3, `/metrics: ${scraped} s`);
});
