// The dispatcher, run in the test's process: help, flags and exit codes.
import test from 'ava';
import {runCommandLine} from '../../source/commands/command-line.js';
import {recordingIo} from '../helpers/command-io.js';

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
