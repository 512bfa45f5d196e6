// The whole pipeline through a real PTY pair made by socat: `emulate --scenario failure`
// in one process, `serialwatch --headless` in another, then `replay` of the raw.log.
import {Buffer} from 'node:buffer';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {parseConfig} from '../../source/core/config.js';
import {createScenario} from '../../source/core/emulator.js';
import {incidentTypes} from '../../source/core/incident.js';
import {createVirtualPair} from '../../source/adapters/virtual-pair.js';
import {escapeBytes} from '../../source/core/protocol.js';
import {runCli, startCli, stopOnTeardown} from '../helpers/cli.js';
import {readJson} from '../helpers/json.js';
import {requireSocat} from '../helpers/socat.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {waitUntil} from '../helpers/wait-until.js';

function workspace(t: ExecutionContext) {
	const dir = temporaryDirectory(t, 'e2e');
	const text = [
		'serial:',
		`  port: ${join(dir, 'monitor-tty')}`,
		'  reconnect_interval_s: 0.2',
		'output:',
		`  dir: ${join(dir, 'data')}`,
		'thresholds:',
		// Long enough that the emulator's start-up never counts as a silence, even on a loaded machine.
		'  heartbeat_timeout_s: 3',
		'emulator:',
		`  port: ${join(dir, 'device-tty')}`,
		'  seed: 7',
		'',
	].join('\n');
	const configPath = join(dir, 'config.yaml');
	writeFileSync(configPath, text);
	return {
		dir,
		configPath,
		config: parseConfig(text, configPath),
		data: join(dir, 'data'),
	};
}

const lines = (text: string) => text.split('\n').filter((line) => line !== '');

test('failure scenario through a PTY pair: every line on disk, every incident reported, replay byte-identical', async (t) => {
	if (!requireSocat(t)) {
		return;
	}

	const {dir, configPath, config, data} = workspace(t);
	const pair = await createVirtualPair(
		config.emulator.port,
		config.serial.port,
	);
	try {
		const monitor = stopOnTeardown(
			t,
			startCli(['--config', configPath, '--headless']),
		);
		await monitor.waitFor(/listening on/);
		const emulator = await runCli([
			'emulate',
			'--config',
			configPath,
			'--scenario',
			'failure',
			'--rate',
			'100',
		]);
		t.is(emulator.code, 0, `${emulator.stderr}`);
		const sent = [
			...createScenario(
				{name: 'failure'},
				{seed: 7, heartbeatTimeoutS: 3, thresholds: config.thresholds},
			),
		].flatMap((step) => (step.kind === 'line' ? [step] : []));
		t.true(sent.length > 20);
		// Stop as soon as the last line is on disk: well inside the heartbeat timeout, so the
		// live run ends with no silence in progress (the one thing a replay cannot see).
		await waitUntil(
			() =>
				lines(readFileSync(join(data, 'raw.log'), 'latin1')).length >=
				sent.length,
			'raw.log holds every line sent',
		);
		monitor.child.kill('SIGINT');
		t.is(await monitor.exited, 0, `${monitor.stderr()}`);

		const raw = lines(readFileSync(join(data, 'raw.log'), 'latin1'));
		t.deepEqual(
			raw.map((line) => line.slice(line.indexOf('\t') + 1)),
			sent.map((step) => Buffer.from(step.bytes).toString('latin1')),
			'raw.log holds every line sent, in order, bytes as sent',
		);
		t.true(
			raw.every((line) =>
				/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\t/.test(line),
			),
		);

		const csvText = readFileSync(join(data, 'structured_metrics.csv'), 'utf8');
		t.true(csvText.endsWith('\r\n'), 'RFC 4180 records end with CRLF');
		const csv = lines(csvText.replaceAll('\r\n', '\n'));
		t.is(csv[0], 'timestamp,temperature,voltage,status,raw_line');
		t.is(
			csv.length - 1,
			sent.filter((step) => step.valid).length,
			'a CSV row per valid line',
		);

		const errors = lines(readFileSync(join(data, 'parser_errors.log'), 'utf8'));
		t.deepEqual(
			errors.map((line) => line.split('\t')[2]),
			sent.filter((step) => !step.valid).map((step) => escapeBytes(step.bytes)),
			'parser_errors.log holds every corrupted line',
		);

		const reportText = readFileSync(join(data, 'anomaly_report.json'), 'utf8');
		const report = readJson<
			Array<{
				type: string;
				description: string;
				end: string | null;
			}>
		>(reportText, {text: true});
		const types = new Set(report.map((entry) => entry.type));
		// Every rule, the parse-error rate included.
		for (const type of incidentTypes) {
			t.true(types.has(type), `${type} reported`);
		}

		const descriptions = report.map((entry) => entry.description);
		t.true(
			descriptions.includes(
				'Temperature 95.50°C exceeded threshold of 80.0°C.',
			),
		);
		t.true(
			descriptions.includes(
				'Voltage 6.10V was outside the normal range of 4.5V-5.5V.',
			),
		);
		t.true(
			descriptions.some((text) =>
				text.startsWith('Temperature changed by -70.50°C'),
			),
		);
		// The parse-error rate falls back a minute after the burst, after the run has ended.
		t.deepEqual(
			report.filter((entry) => entry.end === null).map((entry) => entry.type),
			['PARSE_ERROR_RATE'],
			'the scenario ends recovered, but for the burst still within its minute',
		);

		// Headless: one JSON line per event on stdout.
		const events = lines(monitor.stdout()).map((line) =>
			readJson<{event: string; type: string}>(line, {text: true}),
		);
		t.true(
			events.some(
				(event) => event.event === 'fired' && event.type === 'HEARTBEAT_LOSS',
			),
		);
		t.true(
			events.some(
				(event) =>
					event.event === 'resolved' && event.type === 'HEARTBEAT_LOSS',
			),
		);
		t.is(
			events.filter((event) => event.event === 'fired').length,
			report.length,
		);
		t.regex(monitor.stderr(), /incidents: \d+/);

		const replayed = await runCli([
			'replay',
			join(data, 'raw.log'),
			'--config',
			configPath,
			'--out',
			join(dir, 'replay'),
		]);
		t.is(replayed.code, 0, `${replayed.stderr}`);
		const replayText = readFileSync(
			join(dir, 'replay', 'anomaly_report.json'),
			'utf8',
		);
		// Nothing is counted as a silence before the first line: every incident is in raw.log.
		const seen = readJson<unknown[]>(reportText, {text: true});
		t.deepEqual(
			JSON.parse(replayText),
			seen,
			'replay finds the same incidents',
		);
		t.is(
			replayText,
			`${JSON.stringify(seen, null, 2)}\n`,
			'replay gives the same report, byte for byte',
		);
		t.is(
			readFileSync(join(dir, 'replay', 'structured_metrics.csv'), 'utf8'),
			csvText,
		);

		// detect over the CSV: the same readings with their raw.log line numbers give the same
		// incidents, but for the parse-error rate: a CSV holds only valid readings.
		const detected = await runCli([
			'detect',
			join(data, 'structured_metrics.csv'),
			'--config',
			configPath,
			'--report',
			'-',
		]);
		t.is(detected.code, 0, `${detected.stderr}`);
		t.deepEqual(
			JSON.parse(detected.stdout),
			report.filter((entry) => entry.type !== 'PARSE_ERROR_RATE'),
		);
	} finally {
		await pair.close();
	}
});
