// `npm run bench`: what users feel, measured on whole processes of the built CLI
// (dist/cli.js; run `npm run build` first). Each figure is the median of several runs and is
// compared with a floor measured in the same run on the same machine, since absolute times
// drift on shared machines. Prints a table and writes bench/results.json.
//   --runs N      runs per figure (BENCH_RUNS; default 3)
//   --big         also 5,000,000 lines: replay memory and start-up (BENCH_BIG=1; minutes)
//   --lines N     lines of the main inputs (default 1,000,000; smaller for a quick check)
//   --only LIST   a subset of: replay,startup,incidents,ingest,alerts,heartbeat,stall,dashboard
//   --seconds N   the dashboard's seconds at each line rate (default 20; less for a quick check)
import {spawnSync} from 'node:child_process';
import {
	existsSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import {cpus, loadavg, tmpdir, totalmem} from 'node:os';
import {join} from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import ts from 'typescript';
import {hasSocat} from '../source/adapters/virtual-pair.js';
import {
	declaredRawLog,
	flappingDeviceLines,
	flappingRawLog,
	mixedDeviceLines,
	mixedRawLog,
	type InputStats,
} from './inputs.js';
import {measureAlertLatency} from './alert-latency-figure.js';
import {declaredLine} from './declared-lines.js';
import {measureDashboard} from './dashboard-figure.js';
import {measureHeartbeat} from './heartbeat-figure.js';
import {measureIngest} from './live-ingest-figure.js';
import {measureReportStall} from './report-stall-figure.js';
import {
	measureFloor,
	measureReplay,
	type ReplayFigures,
} from './replay-figures.js';
import {formatTable, type Row} from './row.js';
import {measureStartup} from './startup-figure.js';

const {values: flags} = parseArgs({
	options: {
		runs: {type: 'string'},
		big: {type: 'boolean'},
		lines: {type: 'string'},
		only: {type: 'string'},
		seconds: {type: 'string'},
	},
});
const runs = Number(flags.runs ?? process.env['BENCH_RUNS'] ?? 3);
const big = flags.big ?? process.env['BENCH_BIG'] === '1';
const lines = Number(flags.lines ?? 1_000_000);
const bigLines = lines * 5;
const dashboardSeconds = Number(flags.seconds ?? 20);
const only = new Set(
	(
		flags.only ??
		'replay,startup,incidents,ingest,alerts,heartbeat,stall,dashboard'
	).split(','),
);

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const resultsPath = fileURLToPath(new URL('results.json', import.meta.url));
if (!existsSync(cli)) {
	throw new Error('dist/cli.js is missing: run `npm run build` first');
}

const benchStart = performance.now();
const workDir = mkdtempSync(join(tmpdir(), 'serialwatch-bench-'));
const load = () =>
	loadavg()
		.map((n) => n.toFixed(2))
		.join(' ');
const log = (text: string) => {
	process.stdout.write(
		`[${((performance.now() - benchStart) / 1000).toFixed(0).padStart(4)} s] ${text}\n`,
	);
};

const loadAtStart = load();
const machine = `${cpus().length} x ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, ${process.platform}`;
log(
	`${machine}; load average ${loadAtStart}; ${runs} runs per figure; work dir ${workDir}`,
);

// The floors run as plain JavaScript, as the CLI does (no TypeScript loader in its start-up).
const floorOf = (name: string) => {
	const script = join(workDir, `${name}.mjs`);
	writeFileSync(
		script,
		ts.transpileModule(
			readFileSync(
				fileURLToPath(new URL(`${name}.ts`, import.meta.url)),
				'utf8',
			),
			{
				compilerOptions: {
					module: ts.ModuleKind.ESNext,
					target: ts.ScriptTarget.ES2022,
				},
			},
		).outputText,
	);
	return script;
};

const floorScript = floorOf('floor-replay');
const profile = (name: string) =>
	fileURLToPath(new URL(`profiles/${name}.yaml`, import.meta.url));

const inputs: Record<string, InputStats & {path: string; seconds: number}> = {};
const makeInput = (name: string, make: (path: string) => InputStats) => {
	const started = performance.now();
	const path = join(workDir, name);
	inputs[name] = {
		path,
		...make(path),
		seconds: (performance.now() - started) / 1000,
	};
	const {lines: count, bytes, malformed, silences, seconds} = inputs[name];
	log(
		`input ${name}: ${count.toLocaleString('en')} lines, ${(bytes / 2 ** 20).toFixed(1)} MiB, ${malformed.toLocaleString('en')} malformed, ${silences.toLocaleString('en')} silences (${seconds.toFixed(1)} s to make)`,
	);
	return inputs[name];
};

const rows: Row[] = [];
const timings: Record<string, number> = {};
const timed = async <T>(name: string, task: () => Promise<T>): Promise<T> => {
	const started = performance.now();
	log(`${name} ...`);
	try {
		return await task();
	} finally {
		timings[name] = (performance.now() - started) / 1000;
		log(`${name}: ${timings[name].toFixed(1)} s; load average ${load()}`);
	}
};

const count = (n: number) =>
	n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n);
const rate = (n: number) => `${Math.round(n).toLocaleString('en')} lines/s`;
const mib = (n: number | undefined) =>
	n === undefined ? '?' : `${n.toFixed(0)} MiB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const failed = (figures: ReplayFigures) =>
	figures.runs.at(-1)?.killed ??
	`exit ${figures.runs.at(-1)?.code}: ${figures.runs.at(-1)?.stderrTail}`;
const noRatio = {ratio: undefined, ratioOf: undefined};
// The same ratio on CPU time, which the other processes of a busy machine distort less.
const cpuRatio = (figures: ReplayFigures, floor: ReplayFigures) =>
	figures.cpuMs === undefined || floor.cpuMs === undefined
		? ''
		: `, ${(floor.cpuMs / figures.cpuMs).toFixed(2)}x on CPU time`;
// What the replay of a runaway input may take before the bench stops it.
const limits = {rssCapMiB: 1024, timeoutMs: 300_000};

let replay1M: ReplayFigures | undefined;
if (only.has('replay')) {
	const mixed = makeInput('raw-mixed.log', (path) => mixedRawLog(path, lines));
	const floor = await timed('replay floor', async () =>
		measureFloor({floorScript, rawLog: mixed.path, lines, runs}),
	);
	replay1M = await timed('replay', async () =>
		measureReplay({cli, rawLog: mixed.path, lines, runs, workDir, limits}),
	);
	const command = `replay raw.log (${count(lines)} mixed lines)`;
	rows.push(
		{
			figure: 'replay floor',
			command: `node bench/floor-replay.ts raw.log (${count(lines)})`,
			median: `${rate(floor.linesPerSecond)} (${seconds(floor.wallMs)})`,
			...noRatio,
			target: '-',
			met: undefined,
			runs: floor.runs,
		},
		replay1M.completed
			? {
					figure: 'replay throughput',
					command,
					median: `${rate(replay1M.linesPerSecond)} (${seconds(replay1M.wallMs)})${cpuRatio(replay1M, floor)}`,
					ratio: replay1M.linesPerSecond / floor.linesPerSecond,
					ratioOf: 'floor',
					target: '>= 0.7x floor',
					met: replay1M.linesPerSecond / floor.linesPerSecond >= 0.7,
					runs: replay1M.runs,
				}
			: {
					figure: 'replay throughput',
					command,
					median: 'failed',
					...noRatio,
					target: '>= 0.7x floor',
					met: false,
					runs: replay1M.runs,
					note: failed(replay1M),
				},
		{
			figure: 'replay peak RSS',
			command,
			median: mib(replay1M.peakRssMiB),
			...noRatio,
			target: '<= 150 MiB',
			met:
				replay1M.peakRssMiB === undefined
					? undefined
					: replay1M.completed && replay1M.peakRssMiB <= 150,
			runs: replay1M.runs,
		},
	);

	if (big) {
		const mixedBig = makeInput('raw-mixed-big.log', (path) =>
			mixedRawLog(path, bigLines),
		);
		const replayBig = await timed('replay 5x', async () =>
			measureReplay({
				cli,
				rawLog: mixedBig.path,
				lines: bigLines,
				runs,
				workDir,
				limits,
			}),
		);
		const ratio =
			replayBig.peakRssMiB !== undefined && replay1M.peakRssMiB !== undefined
				? replayBig.peakRssMiB / replay1M.peakRssMiB
				: undefined;
		rows.push({
			figure: 'replay peak RSS, 5x input',
			command: `replay raw.log (${count(bigLines)} mixed lines)`,
			median: replayBig.completed
				? `${mib(replayBig.peakRssMiB)} (${rate(replayBig.linesPerSecond)})`
				: `failed at ${mib(replayBig.peakRssMiB)}`,
			ratio,
			ratioOf: `${count(lines)} run`,
			target: `<= 1.10x ${count(lines)} run`,
			met:
				ratio === undefined ? undefined : replayBig.completed && ratio <= 1.1,
			runs: replayBig.runs,
			note: replayBig.completed ? undefined : failed(replayBig),
		});
	}
}

if (only.has('replay')) {
	// A declared device's replay against a floor that parses the same lines in plain Node.
	const declared = [
		{format: 'pairs-6', floor: 'floor-pairs', what: '6-field pairs'},
		{format: 'json', floor: 'floor-json', what: 'json'},
	] as const;
	for (const {format, floor: floorName, what} of declared) {
		const input = makeInput(`raw-${format}.log`, (path) =>
			declaredRawLog(path, lines, format),
		);
		// eslint-disable-next-line no-await-in-loop -- one figure at a time
		const floor = await timed(`${what} floor`, async () =>
			measureFloor({
				floorScript: floorOf(floorName),
				rawLog: input.path,
				lines,
				runs,
			}),
		);
		// eslint-disable-next-line no-await-in-loop -- one figure at a time
		const figures = await timed(`replay, ${what}`, async () =>
			measureReplay({
				cli,
				rawLog: input.path,
				lines,
				runs,
				workDir,
				limits,
				config: profile(format),
			}),
		);
		const ratio = figures.completed
			? figures.linesPerSecond / floor.linesPerSecond
			: undefined;
		rows.push(
			{
				figure: `${what} floor`,
				command: `node bench/${floorName}.ts raw.log (${count(lines)})`,
				median: `${rate(floor.linesPerSecond)} (${seconds(floor.wallMs)})`,
				...noRatio,
				target: '-',
				met: undefined,
				runs: floor.runs,
			},
			{
				figure: `replay, ${what}`,
				command: `replay raw.log --config bench/profiles/${format}.yaml (${count(lines)})`,
				median: figures.completed
					? `${rate(figures.linesPerSecond)} (${seconds(figures.wallMs)}), ${mib(figures.peakRssMiB)}${cpuRatio(figures, floor)}`
					: 'failed',
				ratio,
				ratioOf: 'floor',
				target: '>= 0.5x floor',
				met: ratio !== undefined && ratio >= 0.5,
				runs: figures.runs,
				note: figures.completed ? undefined : failed(figures),
			},
		);
	}
}

if (only.has('startup')) {
	if (hasSocat()) {
		const history =
			inputs['raw-mixed.log'] ??
			makeInput('raw-mixed.log', (path) => mixedRawLog(path, lines));
		const timeoutMs = 300_000;
		const empty = await timed('start-up, empty dir', async () =>
			measureStartup({
				cli,
				workDir,
				history: undefined,
				checkpointed: false,
				runs,
				timeoutMs,
			}),
		);
		const sizes = [{name: count(lines), path: history.path}];
		if (big) {
			const bigHistory =
				inputs['raw-mixed-big.log'] ??
				makeInput('raw-mixed-big.log', (path) => mixedRawLog(path, bigLines));
			sizes.push({name: count(bigLines), path: bigHistory.path});
		}

		rows.push({
			figure: 'start-up, empty dir',
			command: '--headless on a PTY pair, no raw.log',
			median: empty.medianMs === undefined ? 'failed' : seconds(empty.medianMs),
			...noRatio,
			target: '-',
			met: undefined,
			runs: empty.runs,
		});
		// The user's case: the directory a previous run left, checkpoint included. Then the first
		// start on a directory without one (an older version's), which reads raw.log in full.
		const cases = sizes.flatMap((size) => [
			{...size, checkpointed: true},
			{...size, checkpointed: false},
		]);
		for (const size of cases) {
			const label = `${size.name} lines of history${size.checkpointed ? '' : ', no checkpoint'}`;
			// eslint-disable-next-line no-await-in-loop -- one figure at a time
			const withHistory = await timed(`start-up, ${label}`, async () =>
				measureStartup({
					cli,
					workDir,
					history: size.path,
					checkpointed: size.checkpointed,
					runs,
					timeoutMs,
				}),
			);
			rows.push({
				figure: `start-up, ${label}`,
				command: size.checkpointed
					? `--headless, on the dir a run left (raw.log holds ${size.name} lines)`
					: `--headless, raw.log of ${size.name} lines alone`,
				median:
					withHistory.medianMs === undefined
						? 'failed'
						: seconds(withHistory.medianMs),
				ratio:
					withHistory.medianMs !== undefined && empty.medianMs !== undefined
						? withHistory.medianMs / empty.medianMs
						: undefined,
				ratioOf: 'empty dir',
				target: size.checkpointed ? 'first live line <= 1 s' : '-',
				met: size.checkpointed
					? withHistory.medianMs !== undefined && withHistory.medianMs <= 1000
					: undefined,
				runs: withHistory.runs,
			});
		}
	} else {
		log('start-up: skipped, socat is not installed');
	}
}

if (only.has('incidents')) {
	const flapping = makeInput('raw-flapping.log', (path) =>
		flappingRawLog(path, lines),
	);
	const floor = await timed('flapping floor', async () =>
		measureFloor({floorScript, rawLog: flapping.path, lines, runs}),
	);
	const replayFlapping = await timed('replay, many incidents', async () =>
		measureReplay({cli, rawLog: flapping.path, lines, runs, workDir, limits}),
	);
	rows.push({
		figure: 'many incidents: replay',
		command: `replay raw.log (${count(lines)} flapping lines)`,
		median: replayFlapping.completed
			? `${seconds(replayFlapping.wallMs)}, ${mib(replayFlapping.peakRssMiB)}`
			: `failed after ${seconds(replayFlapping.wallMs)}, ${mib(replayFlapping.peakRssMiB)}`,
		ratio: replayFlapping.completed
			? replayFlapping.linesPerSecond / floor.linesPerSecond
			: undefined,
		ratioOf: 'floor',
		target: 'completes, <= 200 MiB',
		met:
			replayFlapping.completed &&
			replayFlapping.peakRssMiB !== undefined &&
			replayFlapping.peakRssMiB <= 200,
		runs: replayFlapping.runs,
		note: replayFlapping.completed ? undefined : failed(replayFlapping),
	});
}

if (only.has('ingest')) {
	if (hasSocat()) {
		const deviceLines = makeInput('device-lines.txt', (path) =>
			mixedDeviceLines(path, lines),
		);
		const ingest = await timed('live ingest', async () =>
			measureIngest({
				cli,
				workDir,
				input: deviceLines.path,
				lines,
				bytes: deviceLines.bytes,
				runs,
				timeoutMs: 300_000,
			}),
		);
		const ok = ingest.monitor.linesPerSecond !== undefined;
		const ratio =
			ok && ingest.floor.linesPerSecond !== undefined
				? ingest.monitor.linesPerSecond! / ingest.floor.linesPerSecond
				: undefined;
		rows.push(
			{
				figure: 'live ingest floor',
				command: `head -n ${count(lines)} on a PTY pair`,
				median:
					ingest.floor.linesPerSecond === undefined
						? 'failed'
						: rate(ingest.floor.linesPerSecond),
				...noRatio,
				target: '-',
				met: undefined,
				runs: ingest.floor.runs,
			},
			{
				figure: 'live ingest',
				command: `--headless on a PTY pair, ${count(lines)} lines`,
				median: ok
					? `${rate(ingest.monitor.linesPerSecond!)}, ${ingest.monitor.lost} lost`
					: 'failed',
				ratio,
				ratioOf: 'head',
				target: '0 lost, >= 0.5x head',
				met:
					ok &&
					ratio !== undefined &&
					ingest.monitor.lost === 0 &&
					ratio >= 0.5,
				runs: ingest.monitor.runs,
			},
		);
	} else {
		log('live ingest: skipped, socat is not installed');
	}
}

const milliseconds = (ms: number) =>
	ms < 10 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(0)} ms`;

if (only.has('alerts')) {
	if (hasSocat()) {
		const alerts = 550;
		const latency = await timed('alert latency', async () =>
			measureAlertLatency({cli, workDir, alerts, runs}),
		);
		const ok = latency.p99Ms !== undefined;
		rows.push({
			figure: 'alert latency',
			command: `--headless on a PTY pair, 100 lines/s, ${alerts} breaches`,
			median: ok
				? `p50 ${milliseconds(latency.p50Ms!)}, p99 ${milliseconds(latency.p99Ms!)}`
				: 'failed',
			...noRatio,
			target: 'p99 <= 10 ms',
			met: ok && latency.p99Ms! <= 10,
			runs: latency.runs,
			note: ok ? undefined : latency.runs.at(-1)?.error,
		});
	} else {
		log('alert latency: skipped, socat is not installed');
	}
}

if (only.has('heartbeat')) {
	if (hasSocat()) {
		const silences = 20;
		const heartbeat = await timed('heartbeat', async () =>
			measureHeartbeat({cli, workDir, silences, runs}),
		);
		const ok = heartbeat.p99Ms !== undefined;
		rows.push({
			figure: 'heartbeat',
			command: `--headless, heartbeat_timeout_s 1, ${silences} silences`,
			median: ok
				? `p50 ${milliseconds(heartbeat.p50Ms!)}, p99 ${milliseconds(heartbeat.p99Ms!)} late`
				: 'failed',
			...noRatio,
			target: 'p99 <= 100 ms',
			met: ok && heartbeat.p99Ms! <= 100,
			runs: heartbeat.runs,
			note: ok ? undefined : heartbeat.runs.at(-1)?.error,
		});
	} else {
		log('heartbeat: skipped, socat is not installed');
	}
}

if (only.has('stall')) {
	if (hasSocat()) {
		const flappingLines = Math.min(lines, 300_000);
		const flapping = makeInput('flapping-device-lines.txt', (path) =>
			flappingDeviceLines(path, flappingLines),
		);
		const reports = 3;
		const stall = await timed('report stall', async () =>
			measureReportStall({
				cli,
				workDir,
				flapping,
				reports,
				runs,
			}),
		);
		const ok = stall.stallMs !== undefined;
		rows.push({
			figure: 'many incidents: report stall',
			command: `--headless, SIGUSR1 x${reports} after ${count(flappingLines)} flapping lines`,
			median: ok
				? `${milliseconds(stall.stallMs!)} (report ${seconds(stall.reportMs!)})`
				: 'failed',
			ratio: ok ? stall.stallMs! / stall.referenceMs! : undefined,
			ratioOf: 'no report',
			target: 'stall <= 100 ms',
			met: ok && stall.stallMs! <= 100,
			runs: stall.runs,
			note: ok ? undefined : stall.runs.at(-1)?.error,
		});
	} else {
		log('report stall: skipped, socat is not installed');
	}
}

if (only.has('dashboard')) {
	if (hasSocat() && spawnSync('tmux', ['-V']).status === 0) {
		const maxFps = 10;
		const budgets = new Map([
			[10, 5],
			[10_000, 30],
		]);
		// The built-in device at each rate, then a declared one of 8 numeric fields at 1k lines/s,
		// judged by the CPU budget of the highest rate and compared with the built-in 1k case.
		const eightFields = {
			yaml: readFileSync(profile('pairs-8'), 'utf8'),
			line: (index: number) => `${declaredLine('pairs-8', index).text}\n`,
		};
		const cases = [
			{rate: 10, device: undefined},
			{rate: 1000, device: undefined},
			{rate: 10_000, device: undefined},
			{rate: 1000, device: eightFields},
		];
		let builtIn1kCpu: number | undefined;
		for (const {rate, device} of cases) {
			const label = `dashboard, ${count(rate)} lines/s${device ? ', 8 fields' : ''}`;
			// eslint-disable-next-line no-await-in-loop -- one figure at a time
			const dashboard = await timed(label, async () =>
				measureDashboard({
					cli,
					workDir,
					rate,
					seconds: dashboardSeconds,
					maxFps,
					runs,
					device,
				}),
			);
			const ok = dashboard.lost !== undefined;
			const cpu = ok ? dashboard.screenCpu! + dashboard.collectorCpu! : 0;
			const budget = device ? budgets.get(10_000) : budgets.get(rate);
			if (!device && rate === 1000 && ok) builtIn1kCpu = cpu;
			rows.push({
				figure: label,
				command: device
					? `dashboard in tmux 100x30, PTY pair, ${dashboardSeconds} s, --config bench/profiles/pairs-8.yaml`
					: `dashboard in tmux 100x30, PTY pair, ${dashboardSeconds} s`,
				median: ok
					? `${dashboard.framesPerSecond!.toFixed(1)} frames/s, CPU screen ${dashboard.screenCpu!.toFixed(1)}% + collector ${dashboard.collectorCpu!.toFixed(1)}%, ${dashboard.lost} lost`
					: 'failed',
				...(device && ok && builtIn1kCpu !== undefined
					? {ratio: cpu / builtIn1kCpu, ratioOf: 'T/V/S 1k CPU'}
					: noRatio),
				target: `<= ${maxFps} frames/s${budget === undefined ? '' : `, <= ${budget}% CPU`}, 0 lost`,
				met:
					ok &&
					dashboard.framesPerSecond! <= maxFps &&
					(budget === undefined || cpu <= budget) &&
					dashboard.lost === 0,
				runs: dashboard.runs,
				note: ok ? undefined : dashboard.runs.at(-1)?.error,
			});
		}
	} else {
		log('dashboard: skipped, socat or tmux is not installed');
	}
}

const loadAtEnd = load();
const totalSeconds = (performance.now() - benchStart) / 1000;
console.log('');
console.log(formatTable(rows));
for (const row of rows.filter((row) => row.note)) {
	console.log(`${row.figure}: ${row.note}`);
}

console.log(
	`\n${machine}; load average ${loadAtStart} at start, ${loadAtEnd} at end; ${runs} runs per figure; ${totalSeconds.toFixed(0)} s in all`,
);
writeFileSync(
	resultsPath,
	`${JSON.stringify(
		{
			date: new Date().toISOString(),
			machine,
			loadAverage: {start: loadAtStart, end: loadAtEnd},
			runsPerFigure: runs,
			inputs: Object.fromEntries(
				Object.entries(inputs).map(([name, {path, ...stats}]) => [name, stats]),
			),
			timingsSeconds: timings,
			rows,
		},
		null,
		'\t',
	)}\n`,
);
console.log(`written to ${resultsPath}`);
rmSync(workDir, {recursive: true, force: true});
