// A file named on the command line (or by the config) that is not there is bad usage,
// exit 2, with the path in the message; a failing disk is not, and stays a runtime failure.
import {errorCode, errorMessage} from '../core/error-message.js';
import {UsageError} from './usage-error.js';

const wrongPathCodes = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

/** A UsageError naming the path, when the error says the path is wrong; else undefined. */
export function wrongPathError(
	verb: 'read' | 'write',
	path: string,
	error: unknown,
): UsageError | undefined {
	const code = errorCode(error);
	if (code === undefined || !wrongPathCodes.has(code)) {
		return undefined;
	}

	// Node's text is `ENOENT: no such file or directory, open 'x'`: keep the description.
	const reason = /^[A-Z]+: (?<reason>[^,]+)/v.exec(errorMessage(error))
		?.groups?.['reason'];
	return new UsageError(
		`cannot ${verb} ${path}: ${reason ?? errorMessage(error)} (${code})`,
	);
}
