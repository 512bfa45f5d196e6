// A stop while the monitor is busy: taking up a long raw.log, or writing a report of
// hundreds of thousands of incidents. The first SIGTERM stops cleanly and invents nothing;
// a second one exits at once. And an output path that is a FIFO, which would block the
// run where no signal is heard, is refused at start.
import {execFileSync} from 'node:child_process';
import {
	closeSync,
	openSync,
	readdirSync,
	readFileSync,
	writeFileSync,
	writeSync,
} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {
	runCli,
	startCli,
	stopOnTeardown,
	type Running,
} from '../helpers/cli.js';
import {cpuMsFromSignalToExit} from '../helpers/cpu-time.js';
import {readJson} from '../helpers/json.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {waitUntil} from '../helpers/wait-until.js';

const lineCount = 300_000;
// Long enough that a stop lands during its take-up, which reads about a million lines a
// second: a few seconds of it, even on a fast machine. The tests that need it run alone
// (serial): another test writing its raw.log would hold this process up meanwhile, and
// the stop would come late.
const catchUpLineCount = 3_000_000;

/**
 * A raw.log of earlier runs, a line every 100 ms in 2020: `calm` readings that fire
 * nothing, or `spiky` ones that fire and resolve a breach at every line.
 */
function writeRawLog(
	path: string,
	kind: 'calm' | 'spiky',
	count = lineCount,
): void {
	const start = Date.parse('2020-01-01T00:00:00.000Z');
	const fd = openSync(path, 'w');
	try {
		// A hundred thousand lines per write: millions of them as one string is hundreds of MB.
		for (let from = 0; from < count; from += 100_000) {
			let text = '';
			for (let index = from; index < Math.min(count, from + 100_000); index++) {
				const temperature =
					kind === 'calm' ? 20 + (index % 5) : index % 2 === 0 ? 90 : 20;
				text += `${new Date(start + index * 100).toISOString()}\tT:${temperature}.0,V:5.0,S:NORMAL\n`;
			}

			writeSync(fd, text);
		}
	} finally {
		closeSync(fd);
	}
}

/** The monitor, headless, waiting for a port that is not there, on `dir`. */
function startMonitor(t: Parameters<typeof stopOnTeardown>[0], dir: string) {
	return stopOnTeardown(
		t,
		startCli(['--headless', '--port', join(dir, 'no-such-port'), '--out', dir]),
	);
}

/** The take-up of raw.log has begun (a long one says so first, with the reason it reads all of it). */
async function catchingUp(monitor: Running, rawLog: string): Promise<void> {
	await monitor.waitFor(
		new RegExp(
			`taking up ${catchUpLineCount} earlier lines of ${rawLog} in full`,
		),
		20_000,
	);
}

/**
 * Sends the signal; the CPU time the monitor spent from then until it exited, and the wall
 * time (only logged: it stretches with whatever else the machine runs).
 */
async function signalToExit(
	t: Parameters<typeof stopOnTeardown>[0],
	monitor: Running,
): Promise<number> {
	const sentAt = Date.now();
	const cpuMs = cpuMsFromSignalToExit(monitor.child.pid!, 'SIGTERM');
	await monitor.exited;
	t.log(`exited ${cpuMs} ms of CPU, ${Date.now() - sentAt} ms, after SIGTERM`);
	return cpuMs;
}

const earlierReport = '[]\n';

test.serial(
	'a SIGTERM during the catch-up of a long raw.log leaves the report as it was: no silence invented where reading stopped',
	async (t) => {
		const dir = temporaryDirectory(t, 'catch-up-stop');
		const rawLog = join(dir, 'raw.log');
		writeRawLog(rawLog, 'calm', catchUpLineCount);
		writeFileSync(join(dir, 'anomaly_report.json'), earlierReport);
		const monitor = startMonitor(t, dir);
		await catchingUp(monitor, rawLog);
		const cpuMs = await signalToExit(t, monitor);
		t.is(monitor.child.exitCode, 0, `${monitor.stderr()}`);
		t.notRegex(monitor.stderr(), /took up/);
		t.regex(
			monitor.stderr(),
			/stopped while taking up .*raw\.log: .* is left as it was/,
		);
		t.is(readFileSync(join(dir, 'anomaly_report.json'), 'utf8'), earlierReport);
		// The rest of the take-up would be seconds of CPU.
		t.true(cpuMs < 1000, `${cpuMs} ms of CPU after SIGTERM`);
	},
);

test.serial(
	'two SIGTERMs during the catch-up: it exits at once after the second',
	async (t) => {
		const dir = temporaryDirectory(t, 'catch-up-twice');
		const rawLog = join(dir, 'raw.log');
		writeRawLog(rawLog, 'spiky', catchUpLineCount);
		writeFileSync(join(dir, 'anomaly_report.json'), earlierReport);
		const monitor = startMonitor(t, dir);
		await catchingUp(monitor, rawLog);
		monitor.child.kill('SIGTERM');
		await new Promise((resolve) => {
			setTimeout(resolve, 50);
		});
		const cpuMs = await signalToExit(t, monitor);
		t.true(cpuMs < 1000, `${cpuMs} ms of CPU after the second SIGTERM`);
		t.is(readFileSync(join(dir, 'anomaly_report.json'), 'utf8'), earlierReport);
	},
);

test('a second SIGTERM while the final report of 300,000 incidents is being written exits at once', async (t) => {
	const dir = temporaryDirectory(t, 'big-report');
	writeRawLog(join(dir, 'raw.log'), 'spiky');
	const monitor = startMonitor(t, dir);
	await monitor.waitFor(/took up 300000 earlier lines/, 90_000);
	await monitor.waitFor(/waiting for/);
	monitor.child.kill('SIGTERM');
	await waitUntil(
		() => readdirSync(dir).some((name) => name.endsWith('.tmp')),
		'the report is being written',
	);
	const cpuMs = await signalToExit(t, monitor);
	t.is(monitor.child.exitCode, 1);
	t.regex(monitor.stderr(), /SIGTERM again: exiting now/);
	// The rest of the report would be seconds of CPU.
	t.true(cpuMs < 1000, `${cpuMs} ms of CPU after the second SIGTERM`);
	// The report being written when it left is not left behind half-written.
	t.deepEqual(
		readdirSync(dir).filter((name) => name.endsWith('.tmp')),
		[],
	);
});

test('one SIGTERM after the catch-up: the report of 300,000 incidents, written a slice at a time, is whole and byte for byte what JSON.stringify gives', async (t) => {
	const dir = temporaryDirectory(t, 'big-report-whole');
	writeRawLog(join(dir, 'raw.log'), 'spiky');
	const monitor = startMonitor(t, dir);
	await monitor.waitFor(/took up 300000 earlier lines/, 90_000);
	monitor.child.kill('SIGTERM');
	t.is(await monitor.exited, 0, `${monitor.stderr()}`);
	const text = readFileSync(join(dir, 'anomaly_report.json'), 'utf8');
	const report = readJson<unknown[]>(text, {text: true});
	// 150,000 breaches and as many status mismatches, a rapid change at the first drop, and
	// perhaps the silence since 2020 if the wait for the port had begun.
	t.true(report.length >= 300_001, `${report.length} entries`);
	t.is(text, `${JSON.stringify(report, null, 2)}\n`);
});

for (const file of ['raw.log', 'structured_metrics.csv'] as const) {
	test(`a FIFO as ${file} is refused at start, by its path, with exit 1`, async (t) => {
		const dir = temporaryDirectory(t, 'fifo');
		const fifo = join(dir, file);
		execFileSync('mkfifo', [fifo]);
		const run = await runCli([
			'--headless',
			'--demo',
			'--out',
			dir,
			'--duration',
			'1',
		]);
		t.is(run.code, 1);
		t.true(
			run.stderr.includes(
				`cannot write the output file ${fifo}: it is a FIFO (named pipe), not a regular file`,
			),
			`${run.stderr}`,
		);
	});
}
