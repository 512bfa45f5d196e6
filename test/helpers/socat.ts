// End-to-end tests need socat for a real PTY pair.
import type {ExecutionContext} from 'ava';
import {hasSocat} from '../../source/adapters/virtual-pair.js';
import {requireTool} from './require-tool.js';

export function requireSocat(t: ExecutionContext): boolean {
	return requireTool(t, {
		name: 'socat',
		available: hasSocat(),
		purpose: 'a real PTY pair',
		install: 'apt-get install socat',
	});
}
