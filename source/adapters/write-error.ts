// A write to an output file that failed, named by its file: `ENOSPC: no space left on
// device, write` alone does not say which of the four files the disk refused.
import {errorCode, errorMessage} from '../core/error-message.js';
import {OutputError} from './output-error.js';

const outOfSpace = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

export function writeError(path: string, error: unknown): OutputError {
	// Already names its file, and why.
	if (error instanceof OutputError) {
		return error;
	}

	const hint = outOfSpace.has(errorCode(error) ?? '')
		? '. Free some space and start again: raw.log keeps every line written, and the CSV and the error log are completed from it at start'
		: '';
	return new OutputError(`cannot write ${path}: ${errorMessage(error)}${hint}`);
}

/** Runs a write, naming `path` in its error. */
export function writingTo<T>(path: string, write: () => T): T {
	try {
		return write();
	} catch (error) {
		throw writeError(path, error);
	}
}
