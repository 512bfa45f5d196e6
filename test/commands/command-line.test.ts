// The dispatcher, run in the test's process: help, flags and exit codes.
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {runCommandLine} from '../../source/commands/command-line.js';
import {recordingIo} from '../helpers/command-io.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';

async function run(args: string[]) {
	const io = recordingIo();
	const code = await runCommandLine(args, io);
	return {code, stdout: io.out(), stderr: io.err()};
}

test('a command prints its own help; the main help lists the commands and the monitor flags', async (t) => {
	const emulate = await run(['emulate', '--help']);
	t.is(emulate.code, 0);
	t.regex(
		emulate.stdout,
		/^Usage\n {2}\$ serialwatch emulate \[--config FILE]/,
	);
	t.regex(emulate.stdout, /--count N +stop after N lines/);
	t.notRegex(emulate.stdout, /--headless|Commands/);

	const main = await run(['--help']);
	t.is(main.code, 0);
	t.regex(main.stdout, /Commands\n {2}monitor +listen/);
	for (const command of ['emulate', 'replay', 'detect', 'ports', 'init']) {
		t.regex(main.stdout, new RegExp(String.raw`\n {2}${command} +\w`));
	}

	t.regex(
		main.stdout,
		/\n {2}--no-wait +exit 1 at once if the port does not exist \(default: wait for it to appear\)\n/,
	);
	t.deepEqual(await run(['monitor', '--help']), main);
});

test('every flag a command takes is in its help and its usage line', async (t) => {
	const flags: Record<string, string[]> = {
		replay: ['--config FILE', '--out DIR'],
		detect: ['--config FILE', '--report FILE|-'],
		init: [],
		ports: [],
	};
	for (const [command, expected] of Object.entries(flags)) {
		// eslint-disable-next-line no-await-in-loop
		const {stdout} = await run([command, '-h']);
		const usage = stdout.split('\n')[1]!;
		for (const flag of expected) {
			t.true(usage.includes(`[${flag}]`), `${command}: ${usage}`);
			t.true(stdout.includes(`\n  ${flag} `), `${command}: ${flag}`);
		}

		t.regex(stdout, /Exit codes: 0 done, 1 runtime failure, 2 bad usage/);
	}
});

test('a mistyped flag or command gets the nearest one; a flag of another command is named as such', async (t) => {
	const cases: Array<[string[], string]> = [
		[
			['--prot', '/dev/x'],
			'serialwatch: unknown flag --prot (did you mean --port?); serialwatch --help lists the flags\n',
		],
		[
			['emulate', '--sead', '3'],
			'serialwatch emulate: unknown flag --sead (did you mean --seed?); serialwatch emulate --help lists the flags\n',
		],
		[
			['--colour'],
			'serialwatch: unknown flag --colour; serialwatch --help lists the flags\n',
		],
		[
			['emualte'],
			"serialwatch: unknown command 'emualte' (did you mean emulate?); commands: monitor, emulate, replay, detect, ports, init (serialwatch --help)\n",
		],
		[
			['replay', '--count', '3'],
			'serialwatch replay: --count does not apply to replay; serialwatch replay --help lists its flags\n',
		],
		[
			['emulate', '--no-wait'],
			'serialwatch emulate: --no-wait does not apply to emulate; serialwatch emulate --help lists its flags\n',
		],
		[
			['--config', 'x.yaml', 'emulate'],
			'serialwatch: too many arguments for monitor: emulate (the command goes first: serialwatch emulate ...)\n',
		],
	];
	for (const [args, message] of cases) {
		// eslint-disable-next-line no-await-in-loop
		const result = await run(args);
		t.is(result.code, 2, `${args.join(' ')}`);
		t.is(result.stderr, message);
		t.is(result.stdout, '');
	}
});

test('a number typed wrong is quoted as typed; a flag given twice or a value on a switch is bad usage', async (t) => {
	const cases: Array<[string[], string]> = [
		[
			['--baud', 'abc'],
			"serialwatch: --baud needs a whole number above 0, got 'abc'\n",
		],
		[
			['emulate', '--count', '3.5'],
			"serialwatch emulate: --count needs a whole number above 0, got '3.5'\n",
		],
		[
			['emulate', '--rate=fast'],
			"serialwatch emulate: --rate needs lines per second, 0 or more, got 'fast'\n",
		],
		[
			['--port', 'a', '--port', 'b'],
			'serialwatch: --port is given more than once\n',
		],
		[['--no-wait=yes'], 'serialwatch: --no-wait takes no value\n'],
		[['detect', '--report'], 'serialwatch detect: --report needs a value\n'],
		[
			['--metrics', '9464'],
			"serialwatch: --metrics needs HOST:PORT with a port from 0 to 65535, e.g. 127.0.0.1:9464, got '9464'\n",
		],
		[
			// A port no socket can have: refused here, not by Node's listen() once the run began.
			['--metrics', '127.0.0.1:70000'],
			"serialwatch: --metrics needs HOST:PORT with a port from 0 to 65535, e.g. 127.0.0.1:9464, got '127.0.0.1:70000'\n",
		],
	];
	for (const [args, message] of cases) {
		// eslint-disable-next-line no-await-in-loop
		const result = await run(args);
		t.is(result.code, 2, `${args.join(' ')}`);
		t.is(result.stderr, message);
		t.is(result.stdout, '');
	}
});

test('detect --report - writes the report on stdout, the dash before or after the CSV', async (t) => {
	const dir = temporaryDirectory(t, 'command-line');
	const csv = join(dir, 'structured_metrics.csv');
	writeFileSync(
		csv,
		'timestamp,temperature,voltage,status,raw_line\n2026-01-01T00:00:00.000Z,25.5,5.0,OK,1\n',
	);
	for (const args of [
		['detect', csv, '--report', '-'],
		['detect', '--report', '-', csv],
	]) {
		// eslint-disable-next-line no-await-in-loop
		const result = await run(args);
		t.is(result.code, 0, `${result.stderr}`);
		t.deepEqual(
			JSON.parse(result.stdout),
			[],
			'one normal reading: no incident',
		);
	}
});
