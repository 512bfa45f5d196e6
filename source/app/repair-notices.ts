// What the start of a run did to the derived files to make them match raw.log, said once.
import type {DerivedFiles, OutputPaths} from '../adapters/output-files.js';
import type {TakeUpResult} from './run-history.js';

export function repairNotices(
	paths: Pick<OutputPaths, 'metrics' | 'errors'>,
	files: DerivedFiles,
	added: TakeUpResult,
): string[] {
	const notices: string[] = [];
	const say = (path: string, cutBytes: number, count: number, what: string) => {
		const done = [
			cutBytes > 0 && `cut a torn last record (${cutBytes} bytes)`,
			count > 0 &&
				`added ${count} ${count === 1 ? what : `${what}s`} from raw.log`,
		].filter(Boolean);
		if (done.length > 0) {
			notices.push(`repaired ${path}: ${done.join(', ')}`);
		}
	};

	say(paths.metrics, files.metrics.tail.cutBytes, added.rows, 'reading');
	say(paths.errors, files.errors.tail.cutBytes, added.errors, 'parse error');
	return notices;
}
