// The config file made unusable for real, under a running headless monitor and before a
// restart: replaced by a directory or a FIFO, deleted, left invalid. A running monitor keeps
// its last good config and its pace, and says what happened to which file; a start refuses
// what it cannot use, with exit 2 and what to do.
import {execFileSync} from 'node:child_process';
import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {startCli, stopOnTeardown, type Running} from '../helpers/cli.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {linesOf, waitUntil} from '../helpers/wait-until.js';

const withMaxC = (maxC: number) =>
	`thresholds:\n  temperature:\n    warn_c: 60\n    max_c: ${maxC}\n`;

const rawLines = (dir: string) => {
	try {
		return linesOf(readFileSync(join(dir, 'raw.log'), 'utf8')).length;
	} catch {
		return 0;
	}
};

/** The exit code, or 'still running' if it has not exited within the time. */
async function exitWithin(
	running: Running,
	ms: number,
): Promise<number | null | 'still running'> {
	let timer: NodeJS.Timeout | undefined;
	const result = await Promise.race([
		running.exited,
		new Promise<'still running'>((resolve) => {
			timer = setTimeout(() => {
				resolve('still running');
			}, ms);
		}),
	]);
	clearTimeout(timer);
	return result;
}

test.serial(
	'while running: a directory, a FIFO, a deleted file and an invalid one each leave the last good config in effect, the logging going, and say so naming the file',
	async (t) => {
		const dir = temporaryDirectory(t, 'config-faults');
		const out = join(dir, 'out');
		const config = join(dir, 'config.yaml');
		writeFileSync(config, withMaxC(75));
		const monitor = stopOnTeardown(
			t,
			startCli(['--headless', '--demo', '--config', config, '--out', out]),
		);
		await monitor.waitFor(/listening on the demo device/, 30_000);
		const keepsLogging = async (what: string) => {
			const before = rawLines(out);
			await waitUntil(
				() => rawLines(out) >= before + 3,
				`raw.log grows after ${what}\n${monitor.stderr()}`,
				30_000,
			);
		};

		rmSync(config);
		mkdirSync(config);
		await monitor.waitFor(
			/config edit not applied \(the last valid config stays in effect\):\n.*config\.yaml: this is a directory, not a config file: put the config file at this path/,
			30_000,
		);
		await keepsLogging('a directory');

		rmSync(config, {recursive: true});
		// Opening a FIFO for reading waits for a writer: the monitor must not.
		execFileSync('mkfifo', [config]);
		await monitor.waitFor(
			/config\.yaml: this is a FIFO \(named pipe\), not a config file/,
			30_000,
		);
		await keepsLogging('a FIFO');

		rmSync(config);
		await monitor.waitFor(
			/config\.yaml: the file is gone \(deleted or moved away\): put it back/,
			30_000,
		);
		await keepsLogging('a deletion');

		writeFileSync(config, 'thresholds: [\n');
		await monitor.waitFor(/config\.yaml:2:1: YAML syntax/, 30_000);

		// Through all of it, 75 stayed in effect: the next good edit starts from it.
		writeFileSync(config, withMaxC(70));
		await waitUntil(
			() => monitor.stdout().includes('"event":"config"'),
			`the good edit applied\n${monitor.stderr()}`,
			30_000,
		);
		const applied = linesOf(monitor.stdout()).filter((line) =>
			line.includes('"event":"config"'),
		);
		t.is(applied.length, 1, `config events:\n${applied.join('\n')}`);
		t.regex(
			applied[0]!,
			/"changes":\[{"key":"temperature\.max_c","before":75,"after":70,"effect":"live"}]/,
		);
		monitor.child.kill('SIGTERM');
		t.is(await exitWithin(monitor, 30_000), 0, `stderr:\n${monitor.stderr()}`);
	},
);

const refusedAtStart = test.macro(
	async (
		t,
		setUp: (dir: string) => string[],
		expected: RegExp,
		code: number,
	) => {
		const dir = temporaryDirectory(t, 'config-restart');
		const args = setUp(dir);
		const monitor = stopOnTeardown(
			t,
			startCli(
				[
					'--headless',
					'--demo',
					'--out',
					join(dir, 'out'),
					'--duration',
					'1',
					...args,
				],
				{cwd: dir},
			),
		);
		t.is(
			await exitWithin(monitor, 30_000),
			code,
			`stderr:\n${monitor.stderr()}`,
		);
		t.regex(monitor.stderr(), expected);
		t.notRegex(monitor.stderr(), /^\s+at /m);
	},
);

test.serial(
	'a restart with --config naming a directory: exit 2, saying so',
	refusedAtStart,
	(dir) => {
		mkdirSync(join(dir, 'config.yaml'));
		return ['--config', join(dir, 'config.yaml')];
	},
	/^serialwatch: bad config:\n.*config\.yaml: this is a directory, not a config file: put the config file at this path, or name it with --config$/m,
	2,
);

test.serial(
	'a restart where ./config.yaml is a directory: exit 2, saying so',
	refusedAtStart,
	(dir) => {
		mkdirSync(join(dir, 'config.yaml'));
		return [];
	},
	/^config\.yaml: this is a directory, not a config file/m,
	2,
);

test.serial(
	'a restart where ./config.yaml is a FIFO: exit 2 at once, not a wait for a writer',
	refusedAtStart,
	(dir) => {
		execFileSync('mkfifo', [join(dir, 'config.yaml')]);
		return [];
	},
	/^config\.yaml: this is a FIFO \(named pipe\), not a config file/m,
	2,
);

test.serial(
	'a restart with --config naming a deleted file: exit 2, with how to make one',
	refusedAtStart,
	(dir) => ['--config', join(dir, 'config.yaml')],
	/config\.yaml: no such file: write one \(serialwatch init .*config\.yaml\) or name another with --config$/m,
	2,
);

test.serial(
	'a restart with an invalid config: exit 2, by line and key',
	refusedAtStart,
	(dir) => {
		writeFileSync(
			join(dir, 'config.yaml'),
			withMaxC(-300).replace('60', 'hot'),
		);
		return [];
	},
	/^config\.yaml:3:13: thresholds\.temperature\.warn_c: /m,
	2,
);

test.serial(
	'a restart where ./config.yaml was deleted runs on the built-in defaults, and says so',
	refusedAtStart,
	() => [],
	/^serialwatch: no config\.yaml here: the built-in defaults apply \(serialwatch init writes one to edit\)$/m,
	0,
);
