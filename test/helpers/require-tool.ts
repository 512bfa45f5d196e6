// End-to-end tests that need a tool beyond npm (socat for a PTY pair, tmux for a real
// terminal). Without it they pass without running, and `npm test` ends with one line that
// names them and the install command; under CI a missing tool is a failure.
import process from 'node:process';
import type {ExecutionContext} from 'ava';
import {recordSkippedTest} from './skipped-tests.js';

export type Tool = {
	name: string;
	available: boolean;
	/** What the tests need it for: `a real PTY pair`. */
	purpose: string;
	install: string;
};

/** True when the test may go on; otherwise it has already been failed (CI) or set aside. */
export function requireTool(t: ExecutionContext, tool: Tool): boolean {
	if (tool.available) {
		return true;
	}

	const message = `${tool.name} not found: this test needs ${tool.purpose} (${tool.install})`;
	if (process.env['CI'] === 'true') {
		t.fail(`${message}; CI must install it`);
		return false;
	}

	if (
		!recordSkippedTest({
			title: t.title,
			tool: tool.name,
			install: tool.install,
		})
	) {
		t.log(`SKIPPED: ${message}`);
	}

	t.pass();
	return false;
}
