// What a scenario yields, and what it is given to work from.
import type {Config} from '../config.js';

export type EmulatorStep =
	| {kind: 'line'; bytes: Uint8Array; valid: boolean}
	| {kind: 'silence'; ms: number};

export type ScenarioOptions = {
	seed: number;
	heartbeatTimeoutS: number;
	thresholds: Config['thresholds'];
	/**
	 * Lines per second the steps will be played at (0 or left out: 10, as the demo plays
	 * them); a scenario that times something in seconds converts through it.
	 */
	rateHz?: number;
	/** mixed only: open with the scripted tour of every incident (mixed-tour.ts), as --demo does. */
	tour?: boolean;
};

const encoder = new TextEncoder();

/** A line as the device would send it, without the line break; the runner adds it. */
export function lineStep(text: string, valid = true): EmulatorStep {
	return {kind: 'line', bytes: encoder.encode(text), valid};
}
