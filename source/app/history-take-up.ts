// The start of a run on an output dir an earlier run left: raw.log's lines after the
// checkpoint (or all of them, said why) go through the detector and complete the derived
// files, with progress said each second; then the lines the port gave meanwhile, in their
// place after them. What was taken up, and what was repaired, is said at the end.
import type {DerivedFiles, OutputPaths} from '../adapters/output-files.js';
import type {CatchUpGate} from './catch-up-gate.js';
import {repairNotices} from './repair-notices.js';
import type {RunHistory, TakeUpResult} from './run-history.js';

// A full take-up of a long raw.log says how far it has come this often.
const progressIntervalMs = 1000;

export type TakeUpOptions = {
	history: RunHistory;
	gate: CatchUpGate;
	paths: OutputPaths;
	/** The lines raw.log held when it was opened. */
	earlierLines: number;
	signal: AbortSignal;
	onNotice(notice: string): void;
};

/**
 * Takes up the history, then opens the gate to the live lines. Undefined if the signal
 * stopped it first (the gate still shut); throws what the take-up threw (a derived file
 * that cannot be completed).
 */
export async function takeUpHistory({
	history,
	gate,
	paths,
	earlierLines,
	signal,
	onNotice,
}: TakeUpOptions): Promise<TakeUpResult | undefined> {
	const from = history.resume.checkpoint?.rawLog.lines;
	if (from === undefined) {
		onNotice(
			`taking up ${earlierLines} earlier lines of ${paths.raw} in full: ${history.resume.reason ?? ''}`,
		);
	}

	let saidAt = performance.now();
	const added = await history.takeUp({
		signal,
		onProgress(read) {
			if (performance.now() - saidAt >= progressIntervalMs) {
				saidAt = performance.now();
				onNotice(
					`taking up ${paths.raw}: ${read} of ${earlierLines - (from ?? 0)} lines`,
				);
			}
		},
	});
	// Then what came meanwhile, after the history as raw.log has it.
	return (await gate.release(signal)) ? added : undefined;
}

/** What a finished take-up says: how many lines, from where, the incidents so far, the repairs. */
export function tookUpNotices(
	{
		history,
		paths,
		earlierLines,
	}: Omit<TakeUpOptions, 'gate' | 'signal' | 'onNotice'>,
	added: TakeUpResult,
	files: DerivedFiles,
): string[] {
	const from = history.resume.checkpoint?.rawLog.lines;
	const incidents = plural(history.detector.incidentCount, 'incident');
	return [
		from === undefined
			? `took up ${earlierLines} earlier lines of ${paths.raw} (${incidents} so far)`
			: `took up ${earlierLines} earlier lines of ${paths.raw}: ${added.lines} read after its checkpoint at line ${from} (${incidents} so far)`,
		...repairNotices(paths, files, added),
	];
}

function plural(count: number, noun: string): string {
	return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
