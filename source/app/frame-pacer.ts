// When the screen may draw its next frame. A frame follows a change at once when the last
// one is old enough, else when it becomes so; changes meanwhile share that one frame. The
// gap is the longer of 1000 / max_fps and what keeps the screen's process within a share
// of a core: the CPU it used since the last frame (drawing, collecting garbage, taking
// snapshots in) spread over the next gap. A big terminal or a slow machine gets fewer
// frames instead of a busy screen process.

export type FramePacingOptions = {
	/** ui.max_fps. */
	maxFps: number;
	/** The share of one core the screen's process may use, 0-1. */
	cpuShare: number;
	/** The longest gap, so the clock and the ages on screen still move every second. */
	maxGapMs: number;
	/** Wall clock, ms. */
	now: () => number;
	/** CPU time this process has used, ms. */
	cpuTime: () => number;
	/** Runs `run` in `ms`; the function it returns cancels that. */
	schedule: (run: () => void, ms: number) => () => void;
};

export type FramePacer = {
	/**
	 * Something changed: `draw` runs now or at the next frame's time, once for all changes
	 * until then. What a key did is `urgent`: it waits for 1000 / max_fps only, as a
	 * person waits for it.
	 */
	request(draw: () => void, urgent?: boolean): void;
	/** How long until a change may be drawn (0: at once). */
	readyIn(): number;
	cancel(): void;
};

export function createFramePacer(options: FramePacingOptions): FramePacer {
	const {maxFps, cpuShare, maxGapMs, now, cpuTime, schedule} = options;
	const minGapMs = 1000 / maxFps;
	let lastFrameAt = Number.NEGATIVE_INFINITY;
	let cpuAtLastFrame = cpuTime();
	let gapMs = minGapMs;
	let cancelTimer: (() => void) | undefined;
	let timerAt = Number.POSITIVE_INFINITY;
	let pending: (() => void) | undefined;

	const fire = () => {
		cancelTimer = undefined;
		timerAt = Number.POSITIVE_INFINITY;
		const draw = pending;
		pending = undefined;
		const cpu = cpuTime();
		gapMs = Math.min(
			maxGapMs,
			Math.max(minGapMs, (cpu - cpuAtLastFrame) / cpuShare),
		);
		cpuAtLastFrame = cpu;
		lastFrameAt = now();
		draw?.();
	};

	return {
		request(draw, urgent = false) {
			pending = draw;
			const at = lastFrameAt + (urgent ? minGapMs : gapMs);
			if (at >= timerAt) {
				return;
			}

			cancelTimer?.();
			const wait = at - now();
			if (wait <= 0) {
				fire();
			} else {
				timerAt = at;
				cancelTimer = schedule(fire, wait);
			}
		},
		readyIn() {
			return Math.max(0, lastFrameAt + gapMs - now());
		},
		cancel() {
			cancelTimer?.();
			cancelTimer = undefined;
			timerAt = Number.POSITIVE_INFINITY;
			pending = undefined;
		},
	};
}
