// Tests that could not run for want of a tool are written down, one JSON line each, in the
// file that test/run-tests.ts names in SERIALWATCH_SKIPPED_TESTS, and summed up by it in
// one line once AVA is done.
import {appendFileSync, readFileSync} from 'node:fs';
import process from 'node:process';

export const skippedTestsVariable = 'SERIALWATCH_SKIPPED_TESTS';

export type SkippedTest = {
	title: string;
	tool: string;
	install: string;
};

/** False when no summary will be printed (AVA run directly): the test should say so itself. */
export function recordSkippedTest(skipped: SkippedTest): boolean {
	const file = process.env[skippedTestsVariable];
	if (!file) {
		return false;
	}

	// One short line per write: appends from several test processes do not interleave.
	appendFileSync(file, `${JSON.stringify(skipped)}\n`);
	return true;
}

/** `skipped 9 tests: socat not found (apt-get install socat), tmux not found (...)`, or undefined. */
export function summarizeSkippedTests(file: string): string | undefined {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch {
		return undefined;
	}

	const skipped = text
		.split('\n')
		.filter(Boolean)
		// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- lines recordSkippedTest wrote
		.map((line) => JSON.parse(line) as SkippedTest);
	if (skipped.length === 0) {
		return undefined;
	}

	const tools = new Map(skipped.map(({tool, install}) => [tool, install]));
	const reasons = [...tools]
		.toSorted(([a], [b]) => a.localeCompare(b))
		.map(([tool, install]) => `${tool} not found (${install})`);
	const tests = skipped.length === 1 ? 'test' : 'tests';
	return `skipped ${skipped.length} ${tests}: ${reasons.join(', ')}`;
}
