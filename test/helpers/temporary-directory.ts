// A fresh directory under the OS temp dir for one test, removed when the test ends,
// passed or failed, so that runs leave nothing behind in /tmp.
import {mkdtempSync} from 'node:fs';
import {rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {ExecutionContext} from 'ava';

/**
 * Makes `<tmpdir>/serialwatch-<prefix>-XXXXXX` and removes it at the test's teardown.
 *
 * AVA runs teardowns last registered first: make the directory before starting anything
 * that writes into it, and register that thing's stop (`stopOnTeardown`) after this call,
 * so it is gone before the directory is removed.
 */
export function temporaryDirectory(
	t: ExecutionContext,
	prefix: string,
): string {
	const dir = mkdtempSync(join(tmpdir(), `serialwatch-${prefix}-`));
	t.teardown(async () => {
		// A process told to stop at teardown (a dashboard's collector finishing its report,
		// journal and checkpoint after its terminal is killed) may still be writing: retry on
		// ENOTEMPTY, for up to about 20 s on a loaded machine, without blocking the other
		// tests' work meanwhile as a synchronous retry did.
		await rm(dir, {
			recursive: true,
			force: true,
			maxRetries: 20,
			retryDelay: 100,
		});
	});
	return dir;
}
