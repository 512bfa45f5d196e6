import {waitLimit} from './patience.js';

/** Polls until the condition holds; fails after the timeout (at least the tests' patience). */
export async function waitUntil(
	condition: () => boolean,
	what: string,
	timeoutMs?: number,
): Promise<void> {
	const deadline = Date.now() + waitLimit(timeoutMs);
	while (!condition()) {
		if (Date.now() > deadline) {
			throw new Error(`timed out waiting until ${what}`);
		}

		// eslint-disable-next-line no-await-in-loop
		await new Promise((resolve) => {
			setTimeout(resolve, 20);
		});
	}
}

/** Lines of a text file, none if it does not exist yet. */
export function linesOf(text: string): string[] {
	return text.split('\n').filter((line) => line !== '');
}
