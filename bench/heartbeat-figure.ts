// Heartbeat timeliness: a device on a real PTY pair sends normal readings at 100 lines/s
// for a moment, then goes quiet; the figure is how long after (its last write +
// heartbeat_timeout_s) the monitor's `fired` HEARTBEAT_LOSS event is read on its stdout,
// p50 and p99 over every silence of a run. The timeout is 1 s to keep the run short.
// The delay includes the PTY and the stdout pipe, as a user reading the events sees it.
import {parseEventLine} from './event-line.js';
import {median} from './measured-process.js';
import {startMonitor} from './monitor-process.js';
import {percentile} from './percentile.js';
import {openPtyWorkspace} from './pty-workspace.js';

export type HeartbeatRun = {
	silences?: number;
	p50Ms?: number;
	p99Ms?: number;
	/** Every silence's delay past the timeout, in order. */
	delaysMs?: number[];
	error?: string;
};
export type HeartbeatFigures = {
	p50Ms: number | undefined;
	p99Ms: number | undefined;
	runs: HeartbeatRun[];
};

const timeoutS = 1;
const lineEveryMs = 10;
const linesBeforeSilence = 30;
const configYaml = `thresholds:
  heartbeat_timeout_s: ${timeoutS}
`;
const normalLine = 'T:25.0,V:5.00,S:NORMAL\n';

async function sleep(ms: number): Promise<void> {
	await new Promise((resolve) => {
		setTimeout(resolve, ms);
	});
}

async function heartbeatOnce(options: {
	cli: string;
	workDir: string;
	silences: number;
}): Promise<HeartbeatRun> {
	const space = await openPtyWorkspace(
		options.workDir,
		'heartbeat',
		configYaml,
	);
	const firedAt: number[] = [];
	const monitor = startMonitor({
		cli: options.cli,
		port: space.port,
		out: space.out,
		cwd: space.dir,
		config: space.config,
		onStdoutLine(line, at) {
			const event = parseEventLine(line);
			if (event?.event === 'fired' && event.type === 'HEARTBEAT_LOSS') {
				firedAt.push(at);
			}
		},
	});
	const run: HeartbeatRun = {};
	try {
		await monitor.waitForStderr(/listening on/, 30_000);
		const device = space.openDevice();
		const delays: number[] = [];
		for (let silence = 0; silence < options.silences; silence++) {
			// The wait for the event aligns the next cycle to the monitor's own periodic
			// check; a pause that differs from silence to silence spreads the silences' ends
			// over that period, as a device's would be.
			// eslint-disable-next-line no-await-in-loop -- paced
			await sleep((silence * 97) % 250);
			let lastWrite = 0;
			for (let index = 0; index < linesBeforeSilence; index++) {
				const at = device.write(normalLine);
				if (at === undefined) throw new Error('the PTY is full at 100 lines/s');
				lastWrite = at;
				// eslint-disable-next-line no-await-in-loop -- paced
				await sleep(lineEveryMs);
			}

			const deadline = lastWrite + timeoutS * 1000 + 5000;
			while (firedAt.length <= silence && performance.now() < deadline) {
				// eslint-disable-next-line no-await-in-loop -- polling
				await sleep(5);
			}

			if (firedAt.length <= silence) {
				throw new Error(
					`no HEARTBEAT_LOSS within 5 s of the timeout (silence ${silence + 1})`,
				);
			}

			delays.push(firedAt[silence]! - (lastWrite + timeoutS * 1000));
		}

		run.silences = delays.length;
		run.p50Ms = percentile(delays, 50);
		run.p99Ms = percentile(delays, 99);
		run.delaysMs = delays.map((ms) => Math.round(ms * 10) / 10);
	} catch (error) {
		run.error = error instanceof Error ? error.message : String(error);
	} finally {
		await monitor.stop(60_000);
		await space.close();
	}

	return run;
}

export async function measureHeartbeat(options: {
	cli: string;
	workDir: string;
	silences: number;
	runs: number;
}): Promise<HeartbeatFigures> {
	const runs: HeartbeatRun[] = [];
	for (let index = 0; index < options.runs; index++) {
		// eslint-disable-next-line no-await-in-loop -- one monitor at a time
		runs.push(await heartbeatOnce(options));
	}

	const ok = runs.filter((run) => run.p99Ms !== undefined);
	const all = ok.length === runs.length;
	return {
		p50Ms: all ? median(ok.map((run) => run.p50Ms!)) : undefined,
		p99Ms: all ? median(ok.map((run) => run.p99Ms!)) : undefined,
		runs,
	};
}
