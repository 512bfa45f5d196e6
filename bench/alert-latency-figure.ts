// Alert latency: a device on a real PTY pair sends 100 lines/s alternating a critical
// temperature breach and a normal reading, so every other line fires a
// THRESHOLD_BREACH_TEMP incident (the normal line resolves it). The figure is the time from
// the bench's write of a breach line to the monitor's `fired` event for it on stdout
// (matched by the event's first_line, raw.log's line number), p50 and p99 over every alert
// of a run. Rapid change is set out of reach, so each breach line is one alert.
import {defaultConfig} from '../source/core/config.js';
import {
	deviceStatus,
	formatDeviceLine,
} from '../source/core/scenarios/device-line.js';
import {parseEventLine} from './event-line.js';
import {median} from './measured-process.js';
import {startMonitor} from './monitor-process.js';
import {percentile} from './percentile.js';
import {openPtyWorkspace} from './pty-workspace.js';

export type LatencyRun = {
	alerts?: number;
	p50Ms?: number;
	p99Ms?: number;
	maxMs?: number;
	error?: string;
};
export type LatencyFigures = {
	p50Ms: number | undefined;
	p99Ms: number | undefined;
	alerts: number | undefined;
	runs: LatencyRun[];
};

const lineEveryMs = 10;
const configYaml = `thresholds:
  temperature:
    max_c: 80
    warn_c: 70
    max_change_c: 1000
  heartbeat_timeout_s: 5
`;

function deviceLine(breach: boolean): string {
	const temperature = breach ? 90 : 30;
	return `${formatDeviceLine(temperature, 5, deviceStatus(temperature, 5, defaultConfig.thresholds).status)}\n`;
}

async function sleepUntil(at: number): Promise<void> {
	const wait = at - performance.now();
	if (wait > 0) {
		await new Promise((resolve) => {
			setTimeout(resolve, wait);
		});
	}
}

async function latencyOnce(options: {
	cli: string;
	workDir: string;
	alerts: number;
}): Promise<LatencyRun> {
	const space = await openPtyWorkspace(options.workDir, 'alerts', configYaml);
	const writtenAt = new Map<number, number>();
	const latencies: number[] = [];
	const monitor = startMonitor({
		cli: options.cli,
		port: space.port,
		out: space.out,
		cwd: space.dir,
		config: space.config,
		onStdoutLine(line, at) {
			const event = parseEventLine(line);
			if (event?.event !== 'fired' || event.type !== 'THRESHOLD_BREACH_TEMP')
				return;
			const written = writtenAt.get(event.firstLine);
			if (written !== undefined) latencies.push(at - written);
		},
	});
	const run: LatencyRun = {};
	try {
		await monitor.waitForStderr(/listening on/, 30_000);
		const device = space.openDevice();
		const lines = options.alerts * 2;
		const started = performance.now();
		for (let number = 1; number <= lines; number++) {
			// eslint-disable-next-line no-await-in-loop -- paced, one line at a time
			await sleepUntil(started + (number - 1) * lineEveryMs);
			const breach = number % 2 === 1;
			const at = device.write(deviceLine(breach));
			if (at === undefined) throw new Error('the PTY is full at 100 lines/s');
			if (breach) writtenAt.set(number, at);
		}

		const deadline = performance.now() + 5000;
		while (latencies.length < options.alerts && performance.now() < deadline) {
			// eslint-disable-next-line no-await-in-loop -- polling
			await sleepUntil(performance.now() + 20);
		}

		if (latencies.length < options.alerts) {
			throw new Error(
				`${latencies.length} fired events for ${options.alerts} breach lines`,
			);
		}

		run.alerts = latencies.length;
		run.p50Ms = percentile(latencies, 50);
		run.p99Ms = percentile(latencies, 99);
		run.maxMs = Math.max(...latencies);
	} catch (error) {
		run.error = error instanceof Error ? error.message : String(error);
	} finally {
		await monitor.stop(60_000);
		await space.close();
	}

	return run;
}

export async function measureAlertLatency(options: {
	cli: string;
	workDir: string;
	alerts: number;
	runs: number;
}): Promise<LatencyFigures> {
	const runs: LatencyRun[] = [];
	for (let index = 0; index < options.runs; index++) {
		// eslint-disable-next-line no-await-in-loop -- one monitor at a time
		runs.push(await latencyOnce(options));
	}

	const ok = runs.filter((run) => run.p99Ms !== undefined);
	const all = ok.length === runs.length;
	return {
		p50Ms: all ? median(ok.map((run) => run.p50Ms!)) : undefined,
		p99Ms: all ? median(ok.map((run) => run.p99Ms!)) : undefined,
		alerts: all ? Math.min(...ok.map((run) => run.alerts!)) : undefined,
		runs,
	};
}
