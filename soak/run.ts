// `npm run soak`: the monitor (`node dist/cli.js --headless`) for a long run against a real
// socat PTY pair, the device at 1,000 lines/s with ~1% damaged lines, while the port is
// killed and restored every minute, SIGUSR1 asks for a report every 10 s and the config is
// replaced (rename-over, as vim saves) every 2 minutes. Then it accounts for every line.
// `npm run soak -- --seconds 90` (or SOAK_SECONDS=90) for a shorter run.
import {Buffer} from 'node:buffer';
import {spawn} from 'node:child_process';
import {
	mkdtempSync,
	readFileSync,
	renameSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import {loadavg, tmpdir} from 'node:os';
import {join} from 'node:path';
import process from 'node:process';
import {setTimeout as delay} from 'node:timers/promises';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {parseConfig, protocolLimits} from '../source/core/config.js';
import {compileCodec} from '../source/core/codec.js';
import {builtinProfile} from '../source/core/device-profile.js';
import {
	createVirtualPair,
	type VirtualPair,
} from '../source/adapters/virtual-pair.js';
import {inspectorGuard} from '../source/adapters/inspector-guard.js';
import {accountLines, type Outage} from './accounting.js';
import {createLineWriter} from './line-writer.js';
import {sampleAt, sampleRss} from './process-sampler.js';

const {values: flags} = parseArgs({
	options: {seconds: {type: 'string'}},
});
const durationS = Number(flags.seconds ?? process.env['SOAK_SECONDS'] ?? 600);
const ratePerSecond = 1000;
const killEveryS = 60;
const outageS = 3;
const reportEveryS = 10;
const editEveryS = 120;
const reconnectIntervalS = 0.5;

const cliPath = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'serialwatch-soak-'));
const device = join(dir, 'device-tty');
const monitorSide = join(dir, 'monitor-tty');
const data = join(dir, 'data');
const configPath = join(dir, 'config.yaml');
const configText = (heartbeatS: number) =>
	[
		'serial:',
		`  port: ${monitorSide}`,
		`  reconnect_interval_s: ${reconnectIntervalS}`,
		'output:',
		`  dir: ${data}`,
		'thresholds:',
		`  heartbeat_timeout_s: ${heartbeatS}`,
		'',
	].join('\n');

const log = (text: string) => {
	process.stdout.write(
		`[${((performance.now() - soakStart) / 1000).toFixed(1).padStart(6)} s] ${text}\n`,
	);
};

const soakStart = performance.now();
const loadAtStart = loadavg();
writeFileSync(configPath, configText(5));
let pair: VirtualPair = await createVirtualPair(device, monitorSide);
const monitor = spawn(
	process.execPath,
	[inspectorGuard, cliPath, '--headless', '--config', configPath],
	{stdio: ['ignore', 'pipe', 'pipe']},
);
let stderr = '';
let stdoutConfigEvents = 0;
let stdoutEvents = 0;
const stderrWaiters = new Set<(line: string) => void>();
monitor.stderr.setEncoding('utf8').on('data', (text: string) => {
	stderr += text;
	for (const line of text.split('\n').filter(Boolean)) {
		for (const waiter of stderrWaiters) waiter(line);
	}
});
let stdoutRest = '';
monitor.stdout.setEncoding('utf8').on('data', (text: string) => {
	const lines = (stdoutRest + text).split('\n');
	stdoutRest = lines.pop() ?? '';
	for (const line of lines) {
		stdoutEvents++;
		if (line.startsWith('{"event":"config"')) {
			stdoutConfigEvents++;
		}
	}
});
const exited = new Promise<number | null>((resolve) => {
	monitor.on('exit', resolve);
});

async function nextStderr(
	pattern: RegExp,
	timeoutMs = 30_000,
): Promise<number> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			stderrWaiters.delete(waiter);
			reject(new Error(`timed out waiting for ${pattern}\n${stderr}`));
		}, timeoutMs);
		const waiter = (line: string) => {
			if (pattern.test(line)) {
				stderrWaiters.delete(waiter);
				clearTimeout(timer);
				resolve(performance.now());
			}
		};

		stderrWaiters.add(waiter);
	});
}

await nextStderr(/listening on/);
const rss = sampleRss(monitor.pid!);
const writer = createLineWriter(device, ratePerSecond);
await writer.connect();
const runStart = performance.now();
log(
	`soak for ${durationS} s in ${dir}; load average ${loadAtStart.map((n) => n.toFixed(2)).join(' ')}`,
);

const outages: Outage[] = [];
const reportLatenciesMs: number[] = [];
let reportsAsked = 0;
let edits = 0;
let busy = Promise.resolve();
// One disruption at a time, in the order they fall due.
const enqueue = (task: () => Promise<void>) => {
	const previous = busy;
	busy = (async () => {
		await previous;
		await task();
	})();
};

const killAndRestore = async () => {
	const killedAt = performance.now();
	const lost = nextStderr(/lost /);
	process.kill(pair.pid!, 'SIGKILL');
	await pair.close();
	await lost;
	await delay(outageS * 1000);
	const listening = nextStderr(/listening on/);
	pair = await createVirtualPair(device, monitorSide);
	await writer.connect();
	const reopenedAt = await listening;
	outages.push({killedAt, reopenedAt});
	log(
		`port killed and restored (down ${((reopenedAt - killedAt) / 1000).toFixed(2)} s)`,
	);
};

const askReport = async () => {
	const written = nextStderr(/report written to/);
	const asked = performance.now();
	reportsAsked++;
	monitor.kill('SIGUSR1');
	reportLatenciesMs.push((await written) - asked);
};

const editConfig = () => {
	edits++;
	const temporary = `${configPath}.swp`;
	writeFileSync(temporary, configText(edits % 2 === 0 ? 5 : 6));
	renameSync(temporary, configPath);
};

for (let second = 1; second <= durationS; second++) {
	// eslint-disable-next-line no-await-in-loop -- one second of the schedule at a time
	await delay(runStart + second * 1000 - performance.now());
	if (second % reportEveryS === 0) {
		enqueue(askReport);
	}

	if (second % editEveryS === 0) {
		editConfig();
	}

	if (second % killEveryS === 0 && second < durationS) {
		enqueue(killAndRestore);
	}
}

await busy;
await writer.stop();
await delay(2000);
rss.stop();
monitor.kill('SIGTERM');
const code = await exited;
await pair.close();
const loadAtEnd = loadavg();

const config = parseConfig(readFileSync(configPath, 'utf8'), configPath);
const limits = protocolLimits(config);
const codec = compileCodec(builtinProfile(limits), limits.maxLineBytes);
const rawLines = readFileSync(join(data, 'raw.log'), 'latin1')
	.split('\n')
	.slice(0, -1)
	.map((line) => line.slice(line.indexOf('\t') + 1));
const validRaw = rawLines.filter(
	(line) => codec.parse(Buffer.from(line, 'latin1')).ok === true,
).length;
const csvRows =
	readFileSync(join(data, 'structured_metrics.csv'), 'utf8')
		.split('\r\n')
		.filter(Boolean).length - 1;
const report: unknown = JSON.parse(
	readFileSync(join(data, 'anomaly_report.json'), 'utf8'),
);
const accounting = accountLines(writer.lines, rawLines, outages);
const sent = writer.lines.filter((line) => line.written).length;
const mib = (kib: number | undefined) =>
	kib === undefined ? '?' : `${(kib / 1024).toFixed(1)} MiB`;
const peak = Math.max(...rss.samples.map((sample) => sample.kib));
const quarter = (fraction: number) => sampleAt(rss.samples, fraction)?.kib;
const sorted = reportLatenciesMs.toSorted((a, b) => a - b);
const percentile = (p: number) =>
	sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)] ??
	Number.NaN;
const explained = accounting.notWritten + accounting.lostInOutage;

const result = [
	'',
	'soak result',
	`  duration                         ${durationS} s at ${ratePerSecond} lines/s; ${outages.length} port kills (${outageS} s down each), ${reportsAsked} SIGUSR1, ${edits} config edits (rename-over)`,
	`  load average                     start ${loadAtStart.map((n) => n.toFixed(2)).join(' ')}, end ${loadAtEnd.map((n) => n.toFixed(2)).join(' ')}`,
	`  lines produced                   ${writer.lines.length}`,
	`    written to the port            ${sent}`,
	`    not written (link down)        ${accounting.notWritten}`,
	`  lines in raw.log                 ${rawLines.length}`,
	`    matching a sent line           ${accounting.matched}`,
	`    fragments (cut by a kill)      ${accounting.unmatchedRaw.length}${accounting.unmatchedRaw.length > 0 ? `: ${accounting.unmatchedRaw.map((line) => JSON.stringify(line)).join(', ')}` : ''}`,
	`  produced - received              ${writer.lines.length - accounting.matched}`,
	`    never written (link down)      ${accounting.notWritten}`,
	`    written, lost at an outage     ${accounting.lostInOutage} (in flight at the kill or flushed by the reopen; ${(accounting.lostInOutage / Math.max(1, outages.length)).toFixed(1)} per outage)`,
	`    unexplained                    ${accounting.unexplained.length}`,
	`  explained by the outages         ${explained} of ${writer.lines.length - accounting.matched}`,
	`  CSV rows                         ${csvRows}; valid lines in raw.log ${validRaw}${csvRows === validRaw ? ' (equal)' : ' (DIFFER)'}`,
	`  stdout events                    ${stdoutEvents} (${stdoutConfigEvents} config applied); report entries at the end ${Array.isArray(report) ? report.length : 'not an array'}`,
	`  monitor RSS                      1/4 ${mib(quarter(0.25))}, 1/2 ${mib(quarter(0.5))}, 3/4 ${mib(quarter(0.75))}, end ${mib(quarter(1))}; peak ${mib(peak)} (${rss.samples.length} samples)`,
	`  SIGUSR1 -> "report written"      p50 ${percentile(0.5).toFixed(1)} ms, p99 ${percentile(0.99).toFixed(1)} ms, max ${(sorted.at(-1) ?? Number.NaN).toFixed(1)} ms (event-loop lag proxy, measured from outside)`,
	`  monitor exit code                ${code}`,
	`  monitor stderr (last lines)      ${stderr.trim().split('\n').slice(-4).join('\n                                   ')}`,
];
console.log(result.join('\n'));

const flat = (quarter(1) ?? 0) <= (quarter(0.25) ?? 0) * 1.25 + 10 * 1024;
const ok =
	accounting.unexplained.length === 0 &&
	csvRows === validRaw &&
	stdoutConfigEvents === edits &&
	reportLatenciesMs.length === reportsAsked &&
	flat &&
	code === 0;
console.log(
	`  verdict                          ${ok ? 'PASS' : 'FAIL'}${flat ? '' : ' (memory grew after warm-up)'}`,
);
if (ok) {
	rmSync(dir, {recursive: true, force: true});
} else {
	console.log(`  files kept in ${dir}`);
}

process.exitCode = ok ? 0 : 1;
