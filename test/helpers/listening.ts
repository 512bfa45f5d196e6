// Which TCP ports a process listens on, from `ss -ltnp` (Linux): how a test sees that
// Node's inspector opened, whatever its address.
import process from 'node:process';
import {execFileSync, spawnSync} from 'node:child_process';
import type {ExecutionContext} from 'ava';
import {requireTool} from './require-tool.js';

export function requireSs(t: ExecutionContext): boolean {
	return requireTool(t, {
		name: 'ss',
		available:
			process.platform === 'linux' && spawnSync('ss', ['-V']).status === 0,
		purpose: 'the list of listening sockets (Linux)',
		install: 'apt-get install iproute2',
	});
}

/** The `ss` lines of listening TCP sockets held by the process. */
export function listeningSockets(pid: number): string[] {
	return execFileSync('ss', ['-ltnpH'], {encoding: 'utf8'})
		.split('\n')
		.filter((line) => line.includes(`pid=${pid},`));
}
