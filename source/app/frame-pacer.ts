// When the screen may draw its next frame. A frame follows a change at once when the last
// one is old enough, else when it becomes so; changes meanwhile share that one frame. The
// gap is the longer of 1000 / max_fps and what keeps drawing within a share of a core, so a
// big terminal or a slow machine gets fewer frames instead of a busy screen process.

export type FramePacingOptions = {
	/** ui.max_fps. */
	maxFps: number;
	/** The share of one core that drawing may take, 0-1: the gap is the last frame's cost divided by it. */
	drawShare: number;
	/** The longest gap, so the clock and the ages on screen still move every second. */
	maxGapMs: number;
	now: () => number;
	/** Runs `run` in `ms`; the function it returns cancels that. */
	schedule: (run: () => void, ms: number) => () => void;
};

export type FramePacer = {
	/** Something changed: `draw` runs now or at the next frame's time, once for all changes until then. */
	request(draw: () => void): void;
	/** The frame last asked for is drawn: its cost sets the gap before the next. */
	drawn(): void;
	cancel(): void;
};

export function createFramePacer(options: FramePacingOptions): FramePacer {
	const {maxFps, drawShare, maxGapMs, now, schedule} = options;
	const minGapMs = 1000 / maxFps;
	let lastFrameAt = Number.NEGATIVE_INFINITY;
	let lastCostMs = 0;
	let cancelTimer: (() => void) | undefined;
	let pending: (() => void) | undefined;
	let drawing = false;

	const gap = () =>
		Math.min(maxGapMs, Math.max(minGapMs, lastCostMs / drawShare));
	const fire = () => {
		cancelTimer = undefined;
		const draw = pending;
		pending = undefined;
		lastFrameAt = now();
		drawing = true;
		draw?.();
	};

	return {
		request(draw) {
			pending = draw;
			if (cancelTimer) {
				return;
			}

			const wait = lastFrameAt + gap() - now();
			if (wait <= 0) {
				fire();
			} else {
				cancelTimer = schedule(fire, wait);
			}
		},
		drawn() {
			// A frame nobody asked for here (the clock's, a resize) says nothing of this cost.
			if (drawing) {
				drawing = false;
				lastCostMs = now() - lastFrameAt;
			}
		},
		cancel() {
			cancelTimer?.();
			cancelTimer = undefined;

			pending = undefined;
		},
	};
}
