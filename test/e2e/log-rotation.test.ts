// Log rotation, for real: a headless monitor on a socat pair that a device writes to all
// along, its files rotated under it the three ways logrotate does it (rename with
// `create`, copytruncate, a plain delete), then started again; and the README's
// recipe, run by Debian's own logrotate. raw.log, the CSV, the error log and the report
// are one history numbered by raw.log's lines: no rotation under a running monitor may
// leave lines in a file nobody reads or numbers that point at other lines.
import {spawn} from 'node:child_process';
import {
	copyFileSync,
	existsSync,
	readFileSync,
	renameSync,
	rmSync,
	truncateSync,
	writeFileSync,
} from 'node:fs';
import {join} from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {SerialPort} from 'serialport';
import {createVirtualPair} from '../../source/adapters/virtual-pair.js';
import {isOnPath} from '../../source/adapters/executable-on-path.js';
import {
	closePort,
	openPort,
	writeAll,
} from '../../source/adapters/serial-port-io.js';
import {
	runCli,
	startCli,
	stopOnTeardown,
	type Running,
} from '../helpers/cli.js';
import {portWorkspace, type PortWorkspace} from '../helpers/port-workspace.js';
import {requireSocat} from '../helpers/socat.js';
import {requireTool} from '../helpers/require-tool.js';
import {linesOf, waitUntil} from '../helpers/wait-until.js';

const files = [
	'raw.log',
	'structured_metrics.csv',
	'parser_errors.log',
	'anomaly_report.json',
];

/** A device that sends numbered readings every 20 ms until the test ends. */
async function startDevice(t: ExecutionContext, path: string): Promise<void> {
	const port = new SerialPort({path, baudRate: 115_200, autoOpen: false});
	await openPort(port);
	let sent = 0;
	let stopped = false;
	const timer = setInterval(() => {
		sent++;
		void writeAll(port, `T:${20 + (sent % 50)}.0,V:5.0,S:NORMAL\n`).catch(
			() => undefined,
		);
	}, 20);
	t.teardown(async () => {
		if (!stopped) {
			stopped = true;
			clearInterval(timer);
			await closePort(port).catch(() => undefined);
		}
	});
}

async function monitorOnPair(
	t: ExecutionContext,
	prefix: string,
): Promise<PortWorkspace> {
	const workspace = portWorkspace(t, prefix);
	const pair = await createVirtualPair(workspace.device, workspace.monitorSide);
	t.teardown(async () => pair.close());
	await startDevice(t, workspace.device);
	return workspace;
}

/** The exit code, or 'still running' after `ms` (the teardown stops it). */
async function exitWithin(
	running: Running,
	ms: number,
): Promise<number | null | 'still running'> {
	let timer: NodeJS.Timeout | undefined;
	const deadline = new Promise<'still running'>((resolve) => {
		timer = setTimeout(() => {
			resolve('still running');
		}, ms);
	});
	try {
		return await Promise.race([running.exited, deadline]);
	} finally {
		clearTimeout(timer);
	}
}

/** The raw_line of each CSV row. */
function csvNumbers(path: string): number[] {
	return rows(path)
		.slice(1)
		.map((row) => Number(row.split(',').at(-1)));
}

function rows(path: string): string[] {
	return existsSync(path) ? linesOf(readFileSync(path, 'latin1')) : [];
}

const rotations: Array<{
	name: string;
	message: RegExp;
	/** The CSV stays where it was, numbered by lines raw.log no longer has. */
	csvLeftBehind: boolean;
	rotate(data: string): void;
}> = [
	{
		name: 'renamed, new empty files created (logrotate’s default `create`)',
		rotate(data) {
			for (const file of files) {
				const path = join(data, file);
				if (existsSync(path)) {
					renameSync(path, `${path}.1`);
				}

				writeFileSync(path, '');
			}
		},
		message: /another program renamed or replaced it while this run wrote it/,
		csvLeftBehind: false,
	},
	{
		name: 'copytruncate of raw.log',
		rotate(data) {
			copyFileSync(join(data, 'raw.log'), join(data, 'raw.log.1'));
			truncateSync(join(data, 'raw.log'), 0);
		},
		message: /another program cut it to 0 of its \d+ bytes \(copytruncate\?\)/,
		csvLeftBehind: true,
	},
	{
		name: 'raw.log deleted',
		rotate(data) {
			rmSync(join(data, 'raw.log'));
		},
		message: /another program renamed or deleted it while this run wrote it/,
		csvLeftBehind: true,
	},
];

for (const {name, rotate, message, csvLeftBehind} of rotations) {
	test.serial(
		`${name} under a running monitor: it stops, exit 1, saying so; the next start never numbers two lines alike`,
		async (t) => {
			if (!requireSocat(t)) {
				return;
			}

			const workspace = await monitorOnPair(t, 'rotation');
			const monitor = stopOnTeardown(
				t,
				startCli(['--headless', '--config', workspace.configPath]),
			);
			await waitUntil(
				() => workspace.rawLines().length >= 20,
				`raw.log holds 20 lines; stderr:\n${monitor.stderr()}`,
				30_000,
			);
			rotate(workspace.data);
			const code = await exitWithin(monitor, 30_000);
			t.is(code, 1, `${monitor.stderr()}`);
			t.regex(
				monitor.stderr(),
				new RegExp(
					String.raw`stopped: cannot go on writing \S+raw\.log: ${message.source}`,
				),
			);

			const csvBefore = csvLeftBehind
				? readFileSync(join(workspace.data, 'structured_metrics.csv'), 'utf8')
				: '';
			const again = await runCli([
				'--headless',
				'--config',
				workspace.configPath,
				'--duration',
				'1',
			]);
			// Left behind, the CSV is set aside whole, named on stderr; either way the new
			// history is whole from line 1.
			t.is(again.code, 0, `${again.stderr}`);
			if (csvLeftBehind) {
				const aside =
					/structured_metrics\.csv went up to raw\.log line \d+, but \S+raw\.log has 0 lines \([^)]*\): set aside as (\S+), and rebuilt from raw\.log/.exec(
						again.stderr,
					);
				t.truthy(aside, `${again.stderr}`);
				t.is(readFileSync(aside![1]!, 'utf8'), csvBefore, 'kept whole');
			} else {
				t.regex(again.stderr, /^serialwatch: listening on/);
			}

			t.deepEqual(
				csvNumbers(join(workspace.data, 'structured_metrics.csv')),
				workspace.rawLines().map((_, index) => index + 1),
			);
		},
	);
}

test.serial(
	'the README’s logrotate recipe, run by logrotate itself: the rotated set is one whole history, the new one starts at line 1',
	async (t) => {
		if (
			!requireSocat(t) ||
			!requireTool(t, {
				name: 'logrotate',
				available: isOnPath('logrotate') || existsSync('/usr/sbin/logrotate'),
				purpose: 'to run the README’s rotation recipe',
				install: 'apt-get install logrotate',
			})
		) {
			return;
		}

		const workspace = await monitorOnPair(t, 'logrotate');
		const start = () =>
			stopOnTeardown(
				t,
				startCli(['--headless', '--config', workspace.configPath]),
			);
		const first = start();
		await waitUntil(
			() => workspace.rawLines().length >= 20,
			`raw.log holds 20 lines; stderr:\n${first.stderr()}`,
			30_000,
		);
		// A run that has written a report (a stop, or SIGUSR1): logrotate rotates only files
		// that are there when it looks, before its prerotate stops the run.
		first.child.kill('SIGUSR1');
		await waitUntil(
			() => existsSync(workspace.report),
			`the report is written; stderr:\n${first.stderr()}`,
			30_000,
		);
		const readme = readFileSync('README.md', 'utf8');
		const recipe = /<!-- logrotate -->\n```\n([^`]+)```/.exec(readme)?.[1];
		t.truthy(
			recipe,
			'README.md has a recipe between <!-- logrotate --> markers',
		);
		if (!recipe) {
			return;
		}

		// The service manager's stop stands for systemctl's: SIGTERM, then wait for the run's end.
		const config = join(workspace.dir, 'logrotate.conf');
		writeFileSync(
			config,
			recipe
				.replaceAll('/var/lib/serialwatch', workspace.data)
				.replaceAll(
					'systemctl stop serialwatch',
					`kill -TERM ${first.child.pid}; while kill -0 ${first.child.pid} 2>/dev/null; do sleep 0.1; done`,
				)
				.replaceAll('systemctl start serialwatch', 'true'),
		);
		// Not execFileSync: the monitor this test started must be reaped while logrotate waits for it.
		const logrotate = spawn(
			existsSync('/usr/sbin/logrotate') ? '/usr/sbin/logrotate' : 'logrotate',
			['--force', '--state', join(workspace.dir, 'logrotate.state'), config],
			{stdio: ['ignore', 'ignore', 'pipe']},
		);
		let logrotateErrors = '';
		logrotate.stderr.setEncoding('utf8').on('data', (text: string) => {
			logrotateErrors += text;
		});
		const killer = setTimeout(() => {
			logrotate.kill('SIGKILL');
		}, 60_000);
		t.teardown(() => {
			clearTimeout(killer);
			logrotate.kill('SIGKILL');
		});
		const rotated = await new Promise<number | null>((resolve) => {
			logrotate.on('close', resolve);
		});
		t.is(rotated, 0, `logrotate: ${logrotateErrors}`);
		t.is(await first.exited, 0, `${first.stderr()}`);
		for (const file of files) {
			t.false(existsSync(join(workspace.data, file)), `${file} moved away`);
			t.true(existsSync(join(workspace.data, `${file}.1`)), `${file}.1 there`);
		}

		// The rotated set: every raw.log line a CSV row of the same number; the report whole.
		const rotatedRaw = rows(join(workspace.data, 'raw.log.1'));
		t.true(rotatedRaw.length >= 20);
		t.deepEqual(
			rows(join(workspace.data, 'structured_metrics.csv.1'))
				.slice(1)
				.map((row) => Number(row.split(',').at(-1))),
			rotatedRaw.map((_, index) => index + 1),
		);
		const replayed = await runCli([
			'replay',
			join(workspace.data, 'raw.log.1'),
			'--out',
			join(workspace.dir, 'replayed'),
		]);
		t.is(replayed.code, 0, `${replayed.stderr}`);
		t.deepEqual(
			JSON.parse(
				readFileSync(join(workspace.data, 'anomaly_report.json.1'), 'utf8'),
			),
			JSON.parse(
				readFileSync(
					join(workspace.dir, 'replayed', 'anomaly_report.json'),
					'utf8',
				),
			),
		);

		// The service manager's start: a new history from line 1, nothing of the old one in it.
		const second = start();
		await waitUntil(
			() => workspace.rawLines().length >= 20,
			`the new raw.log holds 20 lines; stderr:\n${second.stderr()}`,
			30_000,
		);
		second.child.kill('SIGTERM');
		t.is(await second.exited, 0, `${second.stderr()}`);
		const raw = workspace.rawLines();
		t.deepEqual(
			rows(join(workspace.data, 'structured_metrics.csv'))
				.slice(1)
				.map((row) => Number(row.split(',').at(-1))),
			raw.map((_, index) => index + 1),
		);
		t.notRegex(second.stderr(), /taking up|took up/);
	},
);
