// End-to-end tests that drive the CLI from a pseudo-terminal of their own need python3
// (its pty module): Node.js has no way to open one.
import {spawnSync} from 'node:child_process';
import type {ExecutionContext} from 'ava';
import {requireTool} from './require-tool.js';

export function requirePython(t: ExecutionContext): boolean {
	return requireTool(t, {
		name: 'python3',
		available: spawnSync('python3', ['--version']).status === 0,
		purpose: 'a pseudo-terminal (its pty module)',
		install: 'apt-get install python3',
	});
}
