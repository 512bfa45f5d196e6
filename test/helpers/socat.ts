// End-to-end tests need socat for a real PTY pair. Without it they say so; under CI they fail.
import process from 'node:process';
import type {ExecutionContext} from 'ava';
import {hasSocat} from '../../source/adapters/virtual-pair.js';

/** True when the test may go on; otherwise it has already been failed (CI) or explained. */
export function requireSocat(t: ExecutionContext): boolean {
	if (hasSocat()) {
		return true;
	}

	const message =
		'socat not found: this test needs a real PTY pair (apt-get install socat)';
	if (process.env['CI'] === 'true') {
		t.fail(`${message}; CI must install it`);
	} else {
		t.log(`SKIPPED: ${message}`);
		t.pass();
	}

	return false;
}
