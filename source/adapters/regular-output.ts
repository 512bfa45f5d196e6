// The output files must be regular files (or not exist yet). A FIFO in their place blocks
// the first write that fills its buffer, on the thread that handles signals, so that
// nothing but SIGKILL stops the run; a device or a socket is no log either. A symbolic
// link is refused too (no-follow.ts), and the report's, which is renamed over rather than
// opened, is refused here.
import {lstatSync, type Stats} from 'node:fs';
import {linkRefusal} from './no-follow.js';
import {OutputError} from './output-error.js';

function kindOf(stats: Stats): string {
	if (stats.isFIFO()) {
		return 'a FIFO (named pipe)';
	}

	if (stats.isDirectory()) {
		return 'a directory';
	}

	if (stats.isSocket()) {
		return 'a socket';
	}

	if (stats.isCharacterDevice() || stats.isBlockDevice()) {
		return 'a device';
	}

	return 'not a regular file';
}

/** What is at the path, if it can be looked at: opening it will say why not. */
function statOf(path: string): Stats | undefined {
	try {
		return lstatSync(path);
	} catch {
		return undefined;
	}
}

/** Throws an OutputError naming the first path that exists and is not a regular file (a link included). */
export function refuseIrregularOutputs(paths: readonly string[]): void {
	for (const path of paths) {
		const stats = statOf(path);
		if (stats?.isSymbolicLink()) {
			throw linkRefusal(path);
		}

		if (stats && !stats.isFile()) {
			throw new OutputError(
				`cannot write the output file ${path}: it is ${kindOf(stats)}, not a regular file. Remove it, or choose another directory with --out or output.dir in config.yaml.`,
			);
		}
	}
}
