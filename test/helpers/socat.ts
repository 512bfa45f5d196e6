// End-to-end tests need socat for a real PTY pair.
import type {ExecutionContext} from 'ava';
import {hasSocat} from '../../source/adapters/virtual-pair.js';
import {requireTool} from './require-tool.js';

export function requireSocat(t: ExecutionContext): boolean {
	return requireTool(
		t,
		hasSocat(),
		'socat not found: this test needs a real PTY pair (apt-get install socat)',
	);
}
