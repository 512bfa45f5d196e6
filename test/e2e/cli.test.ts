// The CLI as a user meets it: help, version, exit codes and the messages of bad input.
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {runCli, startCli, stopOnTeardown} from '../helpers/cli.js';
import {readJson} from '../helpers/json.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';

test('--help and --version work with every command', async (t) => {
	for (const command of [[], ['emulate'], ['replay'], ['detect'], ['ports']]) {
		// eslint-disable-next-line no-await-in-loop
		const help = await runCli([...command, '--help']);
		t.is(help.code, 0);
		t.regex(help.stdout, /serialwatch emulate/);
		t.regex(
			help.stdout,
			/Exit codes: 0 done, 1 runtime failure, 2 bad usage or bad config/,
		);
	}

	const version = await runCli(['--version']);
	t.is(version.code, 0);
	t.is(
		version.stdout.trim(),
		readJson<{version: string}>('package.json').version,
	);
});

test('bad usage exits 2 with what was wrong', async (t) => {
	const cases: Array<[string[], RegExp]> = [
		[['frobnicate'], /unknown command 'frobnicate'/],
		[['--colour'], /Unknown flag/],
		[['--baud', '-5'], /--baud needs a whole number above 0, got '-5'/],
		[
			['--duration', 'soon'],
			/--duration needs a number of seconds above 0, got 'soon'/,
		],
		[['--port'], /--port needs a value/],
		[['--report', 'r.json'], /--report does not apply to monitor/],
		[
			['--scenario', 'failure'],
			/--scenario does not apply to monitor without --demo/,
		],
		[['emulate', '--demo'], /--demo does not apply to emulate/],
		[['replay'], /replay needs the raw log/],
		[['ports', 'extra'], /too many arguments for ports: extra/],
		[
			['--config', 'no-such.yaml'],
			/no-such\.yaml: cannot read the config file \(ENOENT\)/,
		],
	];
	for (const [args, message] of cases) {
		// eslint-disable-next-line no-await-in-loop
		const result = await runCli(args);
		t.is(result.code, 2, `${args.join(' ')}`);
		t.regex(result.stderr, message);
	}
});

test('a bad config exits 2 naming each key and line', async (t) => {
	const dir = temporaryDirectory(t, 'cli');
	const config = join(dir, 'config.yaml');
	writeFileSync(
		config,
		'serial:\n  buad_rate: 9600\nthresholds:\n  voltage:\n    min_v: 6\n',
	);
	const result = await runCli([
		'--config',
		config,
		'--demo',
		'--duration',
		'1',
	]);
	t.is(result.code, 2);
	t.true(
		result.stderr.includes(`${config}:2:3: serial.buad_rate: unknown key`),
	);
	t.true(
		result.stderr.includes(
			`${config}:5:12: thresholds.voltage.min_v: must be below thresholds.voltage.max_v (5.5)`,
		),
	);
	t.false(existsSync(join(dir, 'data')), 'nothing started');
});

test('with --no-wait, a port that does not exist exits 1 naming the port and the fix', async (t) => {
	const dir = temporaryDirectory(t, 'cli');
	const result = await runCli([
		'--port',
		join(dir, 'ttyNOPE'),
		'--no-wait',
		'--out',
		join(dir, 'data'),
	]);
	t.is(result.code, 1);
	t.regex(
		result.stderr,
		new RegExp(
			`Cannot open serial port ${join(dir, 'ttyNOPE')}: .*No such file or directory`,
		),
	);
	t.regex(result.stderr, /serialwatch ports/);
});

test('--demo runs without hardware; --duration stops it cleanly with all files written', async (t) => {
	const dir = temporaryDirectory(t, 'cli');
	const result = await runCli(['--demo', '--duration', '1.5', '--out', dir]);
	t.is(result.code, 0, `${result.stderr}`);
	t.regex(
		result.stderr,
		/listening on the demo device \(in-process, scenario mixed, seed 42\)/,
	);
	t.regex(result.stderr, /serialwatch: \d+ lines \(\d+ valid, \d+ malformed\)/);
	const raw = readFileSync(join(dir, 'raw.log'), 'utf8').trim().split('\n');
	t.true(raw.length >= 10, `${raw.length} lines at 10 Hz in 1.5 s`);
	const csv = readFileSync(join(dir, 'structured_metrics.csv'), 'utf8')
		.trim()
		.split('\r\n');
	const errors = readFileSync(join(dir, 'parser_errors.log'), 'utf8')
		.split('\n')
		.filter(Boolean);
	t.is(
		csv.length - 1 + errors.length,
		raw.length,
		'each raw line is a CSV row or a parser error',
	);
	t.true(
		Array.isArray(
			JSON.parse(readFileSync(join(dir, 'anomaly_report.json'), 'utf8')),
		),
	);
});

test('SIGUSR1 writes the report while running; SIGTERM stops with exit 0', async (t) => {
	const dir = temporaryDirectory(t, 'cli');
	const monitor = stopOnTeardown(t, startCli(['--demo', '--out', dir]));
	await monitor.waitFor(/listening on/);
	t.false(existsSync(join(dir, 'anomaly_report.json')));
	monitor.child.kill('SIGUSR1');
	await monitor.waitFor(/report written to/);
	t.true(
		Array.isArray(
			JSON.parse(readFileSync(join(dir, 'anomaly_report.json'), 'utf8')),
		),
	);
	monitor.child.kill('SIGTERM');
	t.is(await monitor.exited, 0);
	t.regex(monitor.stderr(), /incidents: \d+/);
});

test('a reader of stdout that goes away (| head -1) does not stop the monitoring', async (t) => {
	const dir = temporaryDirectory(t, 'cli');
	const config = join(dir, 'config.yaml');
	writeFileSync(
		config,
		'emulator:\n  scenario: failure\n  rate_hz: 50\nthresholds:\n  heartbeat_timeout_s: 1\n',
	);
	const monitor = stopOnTeardown(
		t,
		startCli(['--demo', '--config', config, '--out', dir, '--duration', '3']),
	);
	await monitor.waitFor(/"event":"fired"/);
	monitor.child.stdout?.destroy();
	t.is(await monitor.exited, 0, `${monitor.stderr()}`);
	t.notRegex(monitor.stderr(), /EPIPE|Error/);
	t.regex(monitor.stderr(), /incidents: [1-9]/);
	const report = readJson<unknown[]>(join(dir, 'anomaly_report.json'));
	t.true(
		report.length > 1,
		'events after the pipe closed are still in the report',
	);
});

test('SIGHUP (the SSH session dropped) stops cleanly like SIGTERM', async (t) => {
	const dir = temporaryDirectory(t, 'cli');
	const monitor = stopOnTeardown(t, startCli(['--demo', '--out', dir]));
	await monitor.waitFor(/listening on/);
	monitor.child.kill('SIGHUP');
	t.is(await monitor.exited, 0);
	t.true(existsSync(join(dir, 'anomaly_report.json')));
});

test('an output dir that cannot be made exits 1 naming it, never hangs', async (t) => {
	const dir = temporaryDirectory(t, 'cli');
	const file = join(dir, 'a-file');
	writeFileSync(file, '');
	const cases: Array<[string, RegExp]> = [
		[join(file, 'data'), /a-file is not a directory/],
		// Node's recursive mkdir loops forever here (mkdir under /proc answers ENOENT).
		['/proc/serialwatch-nope/data', /ENOENT/],
	];
	for (const [out, reason] of cases) {
		// eslint-disable-next-line no-await-in-loop
		const result = await runCli(['--demo', '--duration', '1', '--out', out]);
		t.is(result.code, 1, `${out}`);
		t.true(
			result.stderr.startsWith(
				`serialwatch: cannot write the output files in ${out}: `,
			),
		);
		t.regex(result.stderr, reason);
		t.regex(result.stderr, /--out or output\.dir/);
	}
});

test('replay of a file that is not a raw.log stops before touching the output', async (t) => {
	const dir = temporaryDirectory(t, 'cli');
	const csv = join(dir, 'structured_metrics.csv');
	writeFileSync(csv, 'timestamp,temperature,voltage,status,raw_line\n');
	const out = join(dir, 'replay');
	await runCli(['replay', csv, '--out', out]).then((result) => {
		t.is(result.code, 1);
		t.is(
			result.stderr,
			`serialwatch replay: ${csv} is not a raw.log: its first line does not start with \`<ISO 8601 time>\\t\`\n`,
		);
	});
	t.false(existsSync(out), 'no output dir made');
});
