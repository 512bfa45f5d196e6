// Each way a run can fail to start, run twice with the same config and flags: headless,
// and as the dashboard in a real terminal (tmux), where the failure is met in the
// collector process. Both must tell it the same way, with the same exit code, and neither
// with a stack trace: a stack is for bugs.
import process from 'node:process';
import {createServer, type AddressInfo} from 'node:net';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {installedCli, startCli, stopOnTeardown} from '../helpers/cli.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {openTerminal, requireTmux} from '../helpers/tmux.js';
import {linesOf} from '../helpers/wait-until.js';

// A variable that holds something, but not a URL; and one that nobody sets.
const notAUrlVariable = 'SERIALWATCH_TEST_NOT_A_URL';
const unsetVariable = 'SERIALWATCH_TEST_NO_SUCH_SLACK_URL';
process.env[notAUrlVariable] = 'ftp://example.com/hook';

const stackLine = /^\s+at .*(:\d+:\d+\)?|<anonymous>)$/m;

type Case = {
	/** The config file's text. */
	config: string;
	/** Flags besides --config and --out. */
	flags?: (dir: string) => string[];
	/** What headless says and how it exits, so that the test does not pass on a wrong pair. */
	expected: {message: RegExp; code: number};
};

async function headless(
	t: ExecutionContext,
	args: string[],
): Promise<{code: number | null; stderr: string}> {
	const running = stopOnTeardown(t, startCli(['--headless', ...args]));
	const closed = new Promise<void>((resolve) => {
		running.child.on('close', () => {
			resolve();
		});
	});
	const code = await running.exited;
	await closed;
	return {code, stderr: running.stderr()};
}

const sameAnswer = test.macro(async (t, startFailure: Case) => {
	if (!requireTmux(t)) {
		return;
	}

	const dir = temporaryDirectory(t, 'start-error');
	const config = join(dir, 'config.yaml');
	writeFileSync(config, startFailure.config);
	const args = [
		'--config',
		config,
		'--out',
		join(dir, 'out'),
		...(startFailure.flags?.(dir) ?? []),
	];

	const alone = await headless(t, args);
	t.is(alone.code, startFailure.expected.code);
	t.regex(alone.stderr, startFailure.expected.message);
	t.notRegex(alone.stderr, stackLine);

	// Wide enough that no line of the message wraps.
	const terminal = openTerminal(
		t,
		`${notAUrlVariable}='${process.env[notAUrlVariable]}' ${installedCli()} ${args.join(' ')}`,
		{columns: 400, rows: 40, cwd: dir},
	);
	const code = await terminal.waitForExit(60_000);
	const screen = terminal.screen();
	t.is(
		code,
		startFailure.expected.code,
		`the dashboard's exit; its screen:\n${screen}`,
	);
	for (const line of linesOf(alone.stderr)) {
		t.true(
			screen.split('\n').some((shown) => shown.trimEnd() === line.trimEnd()),
			`the dashboard did not say:\n${line}\nits screen:\n${screen}`,
		);
	}

	t.notRegex(screen, stackLine);
	t.notRegex(screen, /InputError|IntegrationError|PortOpenError/);
});

test.serial('a bad config', sameAnswer, {
	config: 'serial:\n  baud_rate: -5\n',
	flags: () => ['--demo'],
	expected: {
		message: /^serialwatch: bad config:\n.*serial\.baud_rate/m,
		code: 2,
	},
});

test.serial('an alert sink whose secret variable is not set', sameAnswer, {
	config: `alerts:\n  sinks:\n    - type: slack\n      url_env: ${unsetVariable}\n`,
	flags: () => ['--demo'],
	expected: {
		message: new RegExp(
			String.raw`^serialwatch: bad alert sink setting:\nalerts\.sinks\[0\] \(slack\): the environment variable ${unsetVariable} is not set`,
			'm',
		),
		code: 2,
	},
});

test.serial('an alert sink whose variable holds no URL', sameAnswer, {
	config: `alerts:\n  sinks:\n    - type: webhook\n      url_env: ${notAUrlVariable}\n`,
	flags: () => ['--demo'],
	expected: {
		message:
			/^serialwatch: bad alert sink setting:\n.*does not hold an http:\/\/ or https:\/\/ URL/m,
		code: 2,
	},
});

test.serial('--metrics on an address already in use', async (t) => {
	const server = createServer();
	await new Promise<void>((resolve) => {
		server.listen(0, '127.0.0.1', resolve);
	});
	t.teardown(() => {
		server.close();
	});
	// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- a TCP listener's address
	const {port} = server.address() as AddressInfo;
	await sameAnswer.exec(t, {
		config: '',
		flags: () => ['--demo', '--metrics', `127.0.0.1:${port}`],
		expected: {
			message:
				/^serialwatch: the Prometheus exporter cannot listen on .*the address is in use/m,
			code: 1,
		},
	});
});

test.serial('a port that cannot be opened', sameAnswer, {
	config: '',
	flags(dir) {
		const notAPort = join(dir, 'not-a-port');
		writeFileSync(notAPort, '');
		return ['--port', notAPort];
	},
	expected: {
		message: /^serialwatch: Cannot open serial port .*not-a-port/m,
		code: 1,
	},
});
