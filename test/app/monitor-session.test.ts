// The monitoring session on real PTY pairs (socat): a retune moves to another port, a
// port that will not open sends it back to the old one, and a stop while the port is
// opening still ends with the files closed and the report written.
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {SerialPort} from 'serialport';
import {defaultConfig, type Config} from '../../source/core/config.js';
import {diffConfig} from '../../source/core/config-diff.js';
import {closePort, openPort} from '../../source/adapters/serial-port-io.js';
import {createVirtualPair} from '../../source/adapters/virtual-pair.js';
import {
	openMonitorSession,
	type MonitorSession,
} from '../../source/app/monitor-session.js';
import {readJson} from '../helpers/json.js';
import {requireSocat} from '../helpers/socat.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {waitUntil} from '../helpers/wait-until.js';

function configFor(dir: string, port: string): Config {
	return {
		...defaultConfig,
		serial: {...defaultConfig.serial, port, reconnect_interval_s: 0.2},
		output: {...defaultConfig.output, dir: join(dir, 'data')},
	};
}

const withPort = (config: Config, port: string): Config => ({
	...config,
	serial: {...config.serial, port},
});

async function pair(t: ExecutionContext, dir: string, name: string) {
	const device = join(dir, `${name}-device`);
	const monitor = join(dir, `${name}-monitor`);
	const created = await createVirtualPair(device, monitor);
	const writer = new SerialPort({
		path: device,
		baudRate: 115_200,
		autoOpen: false,
	});
	await openPort(writer);
	t.teardown(async () => {
		await closePort(writer).catch(() => undefined);
		await created.close();
	});
	return {monitor, send: (line: string) => writer.write(`${line}\n`)};
}

const ignore = () => undefined;

/** A session that is stopped, its files closed, when the test ends, whatever its assertions did. */
function openSession(
	t: ExecutionContext,
	...arguments_: Parameters<typeof openMonitorSession>
): MonitorSession {
	const session = openMonitorSession(...arguments_);
	t.teardown(async () => {
		session.stop();
		await session.finished.catch(() => undefined);
	});
	return session;
}

const rawLines = (dir: string) =>
	existsSync(join(dir, 'data', 'raw.log'))
		? readFileSync(join(dir, 'data', 'raw.log'), 'utf8')
		: '';

test.serial(
	'a retune to another port reconnects there; one that will not open goes back to the old port',
	async (t) => {
		if (!requireSocat(t)) {
			return;
		}

		const dir = temporaryDirectory(t, 'session');
		const a = await pair(t, dir, 'a');
		const b = await pair(t, dir, 'b');
		const notices: string[] = [];
		const config = configFor(dir, a.monitor);
		const session = openSession(
			t,
			{config, signal: new AbortController().signal},
			{
				onEvents: ignore,
				onStatus: ignore,
				onNotice(text) {
					notices.push(text);
				},
			},
		);
		await session.start();
		a.send('T:20.0,V:5.0,S:NORMAL');
		await waitUntil(
			() => rawLines(dir).includes('T:20.0'),
			'a line from port a',
		);

		const onB = withPort(config, b.monitor);
		const serial = ({port, baud_rate}: Config['serial']) => ({port, baud_rate});
		t.deepEqual(
			await session.retune(onB, diffConfig(config, onB)),
			serial(onB.serial),
		);
		t.true(
			notices.some((text) => text.startsWith(`reconnected: ${b.monitor}`)),
		);
		b.send('T:21.0,V:5.0,S:NORMAL');
		await waitUntil(
			() => rawLines(dir).includes('T:21.0'),
			'a line from port b',
		);

		const missing = withPort(config, join(dir, 'no-such-port'));
		t.deepEqual(
			await session.retune(missing, diffConfig(onB, missing)),
			serial(onB.serial),
			'the settings in effect are the old ones',
		);
		t.regex(
			notices.at(-1)!,
			new RegExp(
				`Cannot open serial port .*no-such-port.* Staying on ${b.monitor}`,
			),
		);
		b.send('T:22.0,V:5.0,S:NORMAL');
		await waitUntil(() => rawLines(dir).includes('T:22.0'), 'port b again');

		session.stop();
		const result = await session.finished;
		t.is(result.failure, undefined);
		t.is(result.stats.valid, 3);
		t.true(existsSync(join(dir, 'data', 'anomaly_report.json')));
	},
);

test.serial(
	'a stop while the port is opening waits for it: the report is written and nothing runs after',
	async (t) => {
		if (!requireSocat(t)) {
			return;
		}

		const dir = temporaryDirectory(t, 'session');
		const a = await pair(t, dir, 'a');
		const events: string[] = [];
		const session = openSession(
			t,
			{
				config: configFor(dir, a.monitor),
				signal: new AbortController().signal,
			},
			{
				onEvents(list) {
					events.push(
						...list.map(({event, incident}) => `${event} ${incident.type}`),
					);
				},
				onStatus: ignore,
				onNotice: ignore,
			},
		);
		const starting = session.start();
		session.stop();
		await starting;
		await session.finished;
		t.true(existsSync(join(dir, 'data', 'anomaly_report.json')));
		const after = events.length;
		// Longer than the heartbeat timeout: a detector still ticking would fire HEARTBEAT_LOSS.
		await new Promise((resolve) => {
			setTimeout(
				resolve,
				(defaultConfig.thresholds.heartbeat_timeout_s + 1) * 1000,
			);
		});
		t.is(events.length, after);
	},
);

test('a stop before the port opens (during the raw.log catch-up) opens nothing and still writes the report', async (t) => {
	const dir = temporaryDirectory(t, 'session');
	const config = configFor(dir, join(dir, 'no-such-port'));
	const stopped = new AbortController();
	stopped.abort();
	const session = openSession(
		t,
		{config, signal: stopped.signal},
		{onEvents: ignore, onStatus: ignore, onNotice: ignore},
	);
	// Would reject with a PortOpenError, were it to try the port.
	await session.start();
	const result = await session.finished;
	t.is(result.failure, undefined);
	t.true(existsSync(join(dir, 'data', 'anomaly_report.json')));
});

test('a report asked for while raw.log is taken up is written once the catch-up is done, and covers all of it; a stop during the catch-up leaves the report alone', async (t) => {
	const dir = temporaryDirectory(t, 'session-catch-up');
	mkdirSync(join(dir, 'data'));
	const start = Date.parse('2020-01-01T00:00:00.000Z');
	// A breach at the last line, so a report of part of the file lacks it.
	const lines = Array.from(
		{length: 50_000},
		(_, index) =>
			`${new Date(start + index * 100).toISOString()}\tT:${index === 49_999 ? 95 : 20}.0,V:5.0,S:NORMAL\n`,
	);
	writeFileSync(join(dir, 'data', 'raw.log'), lines.join(''));
	const config = configFor(dir, join(dir, 'no-such-port'));
	const order: string[] = [];
	const stopping = new AbortController();
	const session = openSession(
		t,
		{config, signal: stopping.signal},
		{
			onEvents: ignore,
			onStatus: ignore,
			onNotice(text) {
				// The repair of the derived files (none were there) is no concern here, nor
				// the progress a slow machine is told of while the catch-up runs.
				if (!text.startsWith('repaired') && !/: \d+ of \d+ lines/.test(text)) {
					order.push(
						/^(took up|taking up .* in full: no checkpoint)/.exec(text)?.[1] ??
							text,
					);
				}
			},
		},
	);
	const starting = session.start();
	const written = session.writeReport().then((path) => {
		order.push('report');
		return path;
	});
	await starting;
	const report = readJson<Array<{type: string}>>(await written);
	t.deepEqual(order, [
		'taking up 50000 earlier lines of ' +
			join(dir, 'data', 'raw.log') +
			' in full: no checkpoint',
		'took up',
		'report',
	]);
	t.true(report.some(({type}) => type === 'THRESHOLD_BREACH_TEMP'));
	stopping.abort();
	await session.finished;

	// Again, stopped at once: the catch-up does not finish, the report stays as it was.
	writeFileSync(join(dir, 'data', 'anomaly_report.json'), 'as it was');
	const again = openSession(
		t,
		{config, signal: AbortSignal.abort()},
		{onEvents: ignore, onStatus: ignore, onNotice: ignore},
	);
	await again.start();
	await t.throwsAsync(again.writeReport(), {message: /is left as it was/});
	await again.finished;
	t.is(
		readFileSync(join(dir, 'data', 'anomaly_report.json'), 'utf8'),
		'as it was',
	);
});
