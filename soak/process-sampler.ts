// Resident memory of another process, from /proc/PID/status (Linux), once a second.
import {readFileSync} from 'node:fs';

export type RssSample = {at: number; kib: number};

export type RssSampler = {
	readonly samples: readonly RssSample[];
	stop(): void;
};

export function sampleRss(pid: number, intervalMs = 1000): RssSampler {
	const samples: RssSample[] = [];
	const read = () => {
		try {
			const match = /VmRSS:\s+(\d+) kB/.exec(
				readFileSync(`/proc/${pid}/status`, 'utf8'),
			);
			if (match) {
				samples.push({at: performance.now(), kib: Number(match[1])});
			}
		} catch {
			// The process is gone: the soak is ending.
		}
	};

	read();
	const timer = setInterval(read, intervalMs);
	return {
		samples,
		stop() {
			clearInterval(timer);
		},
	};
}

/** The sample nearest to a fraction (0..1) of the run. */
export function sampleAt(
	samples: readonly RssSample[],
	fraction: number,
): RssSample | undefined {
	if (samples.length === 0) {
		return undefined;
	}

	const index = Math.min(
		samples.length - 1,
		Math.round((samples.length - 1) * fraction),
	);
	return samples[index];
}
