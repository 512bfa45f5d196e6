// The lines of a file a device's output was saved to: what `init --from-file` infers a
// profile from. A raw.log gives its lines without their time stamps; any other file is
// taken as the device's bytes, split as the port's are (LF, CRLF or CR). Only the first
// lines are read, so that a long log costs no more than a short one.
import {createReadStream} from 'node:fs';
import {createLineSplitter} from '../core/line-splitter.js';
import {notARawLog, readRawLogRuns} from './raw-log-reader.js';

export type CaptureFile = {
	lines: Uint8Array[];
	/** The file is a raw.log (its time stamps were left out). */
	rawLog: boolean;
};

export async function readCaptureFile(
	path: string,
	options: {maxLines: number; maxLineBytes: number},
): Promise<CaptureFile> {
	const lines: Uint8Array[] = [];
	const rawLog = notARawLog(path) === undefined;
	if (rawLog) {
		// A line that is not `<time>\t<bytes>` (a torn last one) is no device line.
		for await (const run of readRawLogRuns(path, () => undefined)) {
			for (const {bytes} of run) {
				// Views of the read: copied, as they are kept past it.
				lines.push(Uint8Array.from(bytes));
			}

			if (lines.length >= options.maxLines) {
				break;
			}
		}
	} else {
		const splitter = createLineSplitter(options.maxLineBytes);
		for await (const chunk of createReadStream(path)) {
			if (chunk instanceof Uint8Array) {
				lines.push(...splitter.push(chunk));
			}

			if (lines.length >= options.maxLines) {
				break;
			}
		}

		const rest = splitter.flush();
		if (rest && lines.length < options.maxLines) {
			lines.push(rest);
		}
	}

	lines.length = Math.min(lines.length, options.maxLines);
	return {lines, rawLog};
}
