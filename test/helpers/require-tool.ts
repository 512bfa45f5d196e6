// End-to-end tests that need a tool beyond npm (socat for a PTY pair, tmux for a real
// terminal). Without it they say so; under CI they fail.
import process from 'node:process';
import type {ExecutionContext} from 'ava';

/** True when the test may go on; otherwise it has already been failed (CI) or explained. */
export function requireTool(
	t: ExecutionContext,
	available: boolean,
	message: string,
): boolean {
	if (available) {
		return true;
	}

	if (process.env['CI'] === 'true') {
		t.fail(`${message}; CI must install it`);
	} else {
		t.log(`SKIPPED: ${message}`);
		t.pass();
	}

	return false;
}
