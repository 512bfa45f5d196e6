// A process's peak resident memory, from Linux's /proc/PID/status. VmHWM is the high-water
// mark of VmRSS over the whole life of the process, so one late reading covers every moment
// before it, where sampling VmRSS would miss a spike between samples.
import {readFileSync} from 'node:fs';
import process from 'node:process';

export const canReadPeakRss = process.platform === 'linux';

/** VmHWM in bytes; undefined once the process is gone (or a zombie, which has no memory). */
export function peakRss(pid: number): number | undefined {
	let status: string;
	try {
		status = readFileSync(`/proc/${pid}/status`, 'utf8');
	} catch {
		return undefined;
	}

	const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
	return match ? Number(match[1]) * 1024 : undefined;
}

/**
 * Reads the peak every `everyMs` until stopped, keeping the last reading: the peak up to a
 * few milliseconds before the process exited, its stop included.
 */
export function watchPeakRss(
	pid: number,
	everyMs = 50,
): {stop(): number | undefined} {
	let peak = peakRss(pid);
	const timer = setInterval(() => {
		peak = peakRss(pid) ?? peak;
	}, everyMs);
	return {
		stop() {
			clearInterval(timer);
			peak = peakRss(pid) ?? peak;
			return peak;
		},
	};
}
