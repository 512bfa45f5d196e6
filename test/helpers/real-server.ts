// A real server (Alertmanager, InfluxDB) for one test: started from its Debian binary on a
// free port with its own temporary directory, waited for, and stopped at teardown. Without
// the binary the test is set aside outside CI and fails under CI (require-tool.ts).
import {spawn, spawnSync} from 'node:child_process';
import {createServer} from 'node:net';
import type {ExecutionContext} from 'ava';
import {requireTool} from './require-tool.js';
import {patienceMs} from './patience.js';

export function requireBinary(
	t: ExecutionContext,
	binary: string,
	debianPackage: string,
	purpose: string,
): boolean {
	return requireTool(t, {
		name: binary,
		available: spawnSync('sh', ['-c', `command -v ${binary}`]).status === 0,
		purpose,
		install: `apt-get install ${debianPackage}`,
	});
}

/** A TCP port nothing listens on at the time of asking. */
export async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const address = server.address();
	await new Promise((resolve) => {
		server.close(resolve);
	});
	return typeof address === 'object' && address ? address.port : 0;
}

async function answers(url: string): Promise<boolean> {
	try {
		const response = await fetch(url);
		return response.ok;
	} catch {
		return false;
	}
}

/** Starts the server and resolves once `readyUrl` answers 2xx; stops it at teardown. */
export async function startServer(
	t: ExecutionContext,
	command: string[],
	readyUrl: string,
): Promise<{output: () => string}> {
	const [binary = '', ...args] = command;
	const child = spawn(binary, args, {stdio: ['ignore', 'pipe', 'pipe']});
	let output = '';
	const collect = (text: string) => {
		output += text;
	};

	child.stdout.setEncoding('utf8').on('data', collect);
	child.stderr.setEncoding('utf8').on('data', collect);
	const exited = new Promise((resolve) => {
		child.on('exit', resolve);
	});
	t.teardown(async () => {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGTERM');
			const timer = setTimeout(() => {
				child.kill('SIGKILL');
			}, 5000);
			await exited;
			clearTimeout(timer);
		}
	});
	const deadline = Date.now() + patienceMs;
	// eslint-disable-next-line no-await-in-loop
	while (!(await answers(readyUrl))) {
		if (child.exitCode !== null || Date.now() > deadline) {
			throw new Error(`${binary} is not ready at ${readyUrl}:\n${output}`);
		}

		// eslint-disable-next-line no-await-in-loop
		await new Promise((resolve) => {
			setTimeout(resolve, 100);
		});
	}

	return {output: () => output};
}
