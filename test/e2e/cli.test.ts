// The CLI as a user meets it: help, version, exit codes and the messages of bad input.
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import test from 'ava';
import {defaultConfig, parseConfig} from '../../source/core/config.js';
import {runCli, startCli, stopOnTeardown} from '../helpers/cli.js';
import {readJson} from '../helpers/json.js';
import {patienceMs} from '../helpers/patience.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';

test('--help shows the help of the command it follows; --version works', async (t) => {
	const usage: Array<[string[], RegExp]> = [
		[[], /\$ serialwatch \[monitor] \[--config FILE]/],
		[['emulate'], /^Usage\n {2}\$ serialwatch emulate \[--config FILE]/],
		[['replay'], /^Usage\n {2}\$ serialwatch replay RAW_LOG/],
		[['detect'], /^Usage\n {2}\$ serialwatch detect \[CSV]/],
		[['ports'], /^Usage\n {2}\$ serialwatch ports\n/],
		[['init'], /^Usage\n {2}\$ serialwatch init \[FILE]/],
	];
	for (const [command, expected] of usage) {
		// eslint-disable-next-line no-await-in-loop
		const help = await runCli([...command, '--help']);
		t.is(help.code, 0);
		t.regex(help.stdout, expected);
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
		[['frobnicate'], /unknown command 'frobnicate'; commands: monitor, /],
		[['emualte'], /unknown command 'emualte' \(did you mean emulate\?\)/],
		[['--colour'], /^serialwatch: unknown flag --colour; serialwatch --help/],
		[
			['--prot', '/dev/ttyUSB0'],
			/^serialwatch: unknown flag --prot \(did you mean --port\?\); serialwatch --help lists the flags\n$/,
		],
		[
			['emulate', '--rat', '5'],
			/^serialwatch emulate: unknown flag --rat \(did you mean --rate\?\); serialwatch emulate --help lists the flags\n$/,
		],
		[['--baud', '-5'], /--baud needs a whole number above 0, got '-5'/],
		[
			['--baud', 'abc'],
			/^serialwatch: --baud needs a whole number above 0, got 'abc'\n$/,
		],
		[
			['--port', 'a', '--port', 'b'],
			/^serialwatch: --port is given more than once\n$/,
		],
		[['detect', '--report'], /^serialwatch detect: --report needs a value\n$/],
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
		[
			['--demo', '--port', '/dev/ttyUSB9'],
			/^serialwatch: --port does not apply with --demo: the demo device is in-process/,
		],
		[['--demo', '--baud', '9600'], /--baud does not apply with --demo/],
		[['--demo', '--no-wait'], /--no-wait does not apply with --demo/],
		[
			['emulate', '--scenario', 'nope.yaml'],
			/^serialwatch emulate: bad scenario:\nscenario 'nope\.yaml' is neither a built-in scenario/,
		],
		[
			['emulate', '--pair', '--port', '/tmp/serialwatch-monitor'],
			/^serialwatch emulate: --pair needs two different paths/,
		],
		[['replay'], /replay needs the raw log/],
		[['ports', 'extra'], /too many arguments for ports: extra/],
		[
			['--config', 'no-such.yaml'],
			/no-such\.yaml: no such file: write one \(serialwatch init no-such\.yaml\) or name another with --config/,
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

test('with --no-wait, a port that does not exist exits 1 at once naming the port and the fix', async (t) => {
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

test('--demo --rate 0 plays as fast as the monitor takes the lines, and still stops on time', async (t) => {
	const dir = temporaryDirectory(t, 'cli');
	const monitor = stopOnTeardown(
		t,
		startCli([
			'--demo',
			'--rate',
			'0',
			'--scenario',
			'normal',
			'--duration',
			'1',
			'--out',
			dir,
		]),
	);
	// A flood that held up the stop would run on: the 1 s run must end, whatever the
	// machine's speed, long before the patience runs out.
	const code = await Promise.race([
		monitor.exited,
		new Promise<string>((resolve) => {
			setTimeout(resolve, patienceMs, 'still running');
		}),
	]);
	t.is(code, 0, `${monitor.stderr()}`);
	const lines = Number(/serialwatch: (\d+) lines/.exec(monitor.stderr())?.[1]);
	// 10 Hz, the rate it once fell back to, would give about 10; a quiet machine plays
	// thousands, a very busy one a few hundred.
	t.true(lines > 100, `${lines} lines in 1 s`);
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
	// How many lines 1.5 s brings depends on the machine's pace (the emulator's own tests
	// judge its rate); every one of them must be in the other files.
	t.not(raw[0], '', 'the demo sent lines');
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

test('--demo with a declared device plays that device: its tour in its format, read as readings', async (t) => {
	const dir = temporaryDirectory(t, 'cli');
	const config = fileURLToPath(
		new URL('../../examples/csv.yaml', import.meta.url),
	);
	const result = await runCli([
		'--demo',
		'--headless',
		'--config',
		config,
		'--duration',
		'2',
		'--out',
		dir,
	]);
	t.is(result.code, 0, `${result.stderr}`);
	t.regex(
		result.stderr,
		/listening on the demo device \(in-process, scenario tour, seed \d+\)/,
	);
	const csv = readFileSync(join(dir, 'structured_metrics.csv'), 'utf8')
		.trim()
		.split('\r\n');
	t.is(csv[0], 'timestamp,temperature,humidity,pressure,raw_line');
	// The tour opens with normal readings, whatever the machine's pace: the first line the
	// device sent is a row of three numbers.
	const raw = readFileSync(join(dir, 'raw.log'), 'utf8').split('\n');
	const first = raw[0]!.split('\t')[1]!;
	t.regex(first, /^(?:-?\d+(?:\.\d+)?,){2}-?\d+(?:\.\d+)?$/);
	t.regex(csv[1] ?? '', /^[^,]+(?:,-?[\d.]+){3},/);
	t.is(csv[1]!.split(',').slice(1, 4).join(','), first, 'its row');
});

test('--demo with a declared device refuses a T/V/S scenario, as emulate does, before it starts', async (t) => {
	const dir = temporaryDirectory(t, 'cli');
	const config = fileURLToPath(
		new URL('../../examples/csv.yaml', import.meta.url),
	);
	for (const command of [
		[
			'--demo',
			'--headless',
			'--scenario',
			'failure',
			'--duration',
			'5',
			'--out',
			dir,
		],
		['emulate', '--scenario', 'failure', '--count', '1'],
	]) {
		// eslint-disable-next-line no-await-in-loop -- one command after the other
		const result = await runCli([...command, '--config', config]);
		t.is(result.code, 2, `${result.stderr}`);
		t.regex(
			result.stderr,
			/--scenario failure plays the built-in T\/V\/S device, but config\.yaml declares the device weather: play its tour \(--scenario tour\)/,
		);
	}

	t.deepEqual(readdirSync(dir), [], 'nothing started');
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

test('replay of a file that is not a raw.log is bad usage, and stops before touching the output', async (t) => {
	const dir = temporaryDirectory(t, 'cli');
	const csv = join(dir, 'structured_metrics.csv');
	writeFileSync(csv, 'timestamp,temperature,voltage,status,raw_line\n');
	const out = join(dir, 'replay');
	await runCli(['replay', csv, '--out', out]).then((result) => {
		t.is(result.code, 2);
		t.is(
			result.stderr,
			`serialwatch replay: ${csv} is not a raw.log: its first line does not start with \`<ISO 8601 time>\\t\`\n`,
		);
	});
	t.false(existsSync(out), 'no output dir made');
});

test('an input file that is missing or of the wrong kind is bad usage naming the file', async (t) => {
	const dir = temporaryDirectory(t, 'cli');
	const cases: Array<[string[], string]> = [
		[
			['replay', 'missing.log'],
			'serialwatch replay: cannot read missing.log: no such file or directory (ENOENT)\n',
		],
		[
			['detect', 'missing.csv'],
			'serialwatch detect: cannot read missing.csv: no such file or directory (ENOENT)\n',
		],
		[
			['detect', 'README.md'],
			'serialwatch detect: README.md is not a structured_metrics.csv: its first line is not the header timestamp,temperature,voltage,status,raw_line\n',
		],
	];
	writeFileSync(join(dir, 'README.md'), '# A title\n\nText, with a comma.\n');
	for (const [args, message] of cases) {
		// eslint-disable-next-line no-await-in-loop
		const result = await runCli(args, {cwd: dir});
		t.is(result.code, 2, `${args.join(' ')}`);
		t.is(result.stderr, message);
	}
});

test('a bad scenario file exits 2 naming the key and the line', async (t) => {
	const dir = temporaryDirectory(t, 'cli');
	const scenario = join(dir, 'scenario.yaml');
	writeFileSync(scenario, 'steps:\n  - {temperature_c: hot, voltage_v: 5}\n');
	const result = await runCli([
		'--demo',
		'--scenario',
		scenario,
		'--out',
		join(dir, 'data'),
	]);
	t.is(result.code, 2);
	t.true(
		result.stderr.startsWith(`serialwatch: bad scenario:\n${scenario}:2:`),
		`${result.stderr}`,
	);
});

test('init writes the commented default config, and never over an existing file', async (t) => {
	const dir = temporaryDirectory(t, 'cli');
	const written = await runCli(['init'], {cwd: dir});
	t.is(written.code, 0, `${written.stderr}`);
	t.regex(written.stdout, /wrote config\.yaml: .*run: serialwatch\n$/);
	const text = readFileSync(join(dir, 'config.yaml'), 'utf8');
	t.is(text, readFileSync('config.yaml', 'utf8'), 'the commented file itself');
	t.deepEqual(parseConfig(text, 'config.yaml'), defaultConfig);

	writeFileSync(join(dir, 'config.yaml'), 'serial:\n  port: /dev/ttyUSB0\n');
	const again = await runCli(['init'], {cwd: dir});
	t.is(again.code, 2);
	t.is(
		again.stderr,
		'serialwatch init: config.yaml already exists; it was left as it is. Write elsewhere (serialwatch init other.yaml), remove it first, or replace it with --force.\n',
	);
	t.is(
		readFileSync(join(dir, 'config.yaml'), 'utf8'),
		'serial:\n  port: /dev/ttyUSB0\n',
	);

	const named = await runCli(['init', 'site.yaml'], {cwd: dir});
	t.is(named.code, 0);
	t.regex(named.stdout, /run: serialwatch --config site\.yaml\n$/);
	const noDir = await runCli(['init', 'no/such/dir.yaml'], {cwd: dir});
	t.is(noDir.code, 2);
	t.regex(noDir.stderr, /cannot write no\/such\/dir\.yaml: no such file/);
});
