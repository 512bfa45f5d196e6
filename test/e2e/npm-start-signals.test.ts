// The quick start's own command, `npm start`, as README gives it, in a real process: a
// SIGUSR1 to the monitor at any moment of its start-up never opens Node's inspector. npm
// runs the script through a shell, so the `#!` line of dist/cli.js does not apply: the
// script itself must carry the guard.
import process from 'node:process';
import {spawn} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import test, {type ExecutionContext} from 'ava';
import {listeningSockets, requireSs} from '../helpers/listening.js';
import {isRunning} from '../helpers/processes.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {waitUntil} from '../helpers/wait-until.js';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const delaysMs = [0, 30, 60, 100, 150, 300];

const sleep = async (ms: number) =>
	new Promise((resolve) => {
		setTimeout(resolve, ms);
	});

type ProcStat = {pid: number; parent: number; command: string};

/** Every process from /proc: fast enough to catch a child in its first milliseconds. */
function processTable(): ProcStat[] {
	return readdirSync('/proc').flatMap((name) => {
		if (!/^\d+$/.test(name)) {
			return [];
		}

		try {
			const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
			// The command name is in parentheses and may itself hold spaces or parentheses.
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			const command = readFileSync(`/proc/${name}/cmdline`, 'utf8')
				.split('\0')
				.join(' ');
			return [{pid: Number(name), parent: Number(fields[1]), command}];
		} catch {
			return [];
		}
	});
}

function descendantRunning(root: number, command: RegExp): number | undefined {
	const table = processTable();
	const family = new Set([root]);
	let grew = true;
	while (grew) {
		grew = false;
		for (const entry of table) {
			if (family.has(entry.parent) && !family.has(entry.pid)) {
				family.add(entry.pid);
				grew = true;
			}
		}
	}

	return table.find(
		(entry) =>
			entry.pid !== root &&
			family.has(entry.pid) &&
			command.test(entry.command),
	)?.pid;
}

// Whatever port another test's process holds, an inspector opened by ours would either
// listen (seen by its pid in `ss`) or fail on 127.0.0.1 (named in its stderr): both are
// an unguarded start. A guarded one names only the address no host has.
const unguardedInspector =
	/Debugger listening|Starting inspector on (?!192\.0\.2\.1:)/;

/** `npm start -- --out DIR` in the package's directory, stopped whatever the test's outcome. */
function startNpm(t: ExecutionContext, dir: string) {
	// Its own process group, so that a failed assertion still takes down npm, its shell
	// and the monitor.
	const npm = spawn('npm', ['start', '--', '--out', dir], {
		cwd: packageDir,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	const append = (text: string) => {
		output += text;
	};

	npm.stdout.setEncoding('utf8').on('data', append);
	npm.stderr.setEncoding('utf8').on('data', append);

	const exited = new Promise<number | null>((resolve) => {
		npm.on('exit', (code) => {
			resolve(code);
		});
	});
	t.teardown(async () => {
		if (npm.exitCode === null && npm.signalCode === null) {
			process.kill(-npm.pid!, 'SIGKILL');
			await exited;
		}
	});
	return {pid: npm.pid!, output: () => output, exited};
}

test.serial(
	'`npm start`: a SIGUSR1 to the monitor at any moment of its start-up never opens the inspector',
	async (t) => {
		if (!requireSs(t)) {
			return;
		}

		const outcomes: string[] = [];
		for (const delay of delaysMs) {
			const dir = temporaryDirectory(t, 'npm-start-usr1');
			const npm = startNpm(t, dir);
			let monitor: number | undefined;
			// eslint-disable-next-line no-await-in-loop
			await waitUntil(
				() => {
					monitor = descendantRunning(
						npm.pid,
						/^\S*node\b.*dist\/cli\.js --demo/,
					);
					return monitor !== undefined;
				},
				`npm start's node process\n${npm.output()}`,
				30_000,
			);
			// eslint-disable-next-line no-await-in-loop
			await sleep(delay);
			process.kill(monitor!, 'SIGUSR1');
			const sockets: string[] = [];
			// Long enough for an inspector to open, and for the run to be up.
			for (let check = 0; check < 20; check++) {
				sockets.push(...listeningSockets(monitor!));
				// eslint-disable-next-line no-await-in-loop
				await sleep(50);
			}

			const survived = isRunning(monitor!);
			if (survived) {
				process.kill(monitor!, 'SIGTERM');
			}

			// eslint-disable-next-line no-await-in-loop
			const code = await Promise.race([
				npm.exited,
				sleep(30_000).then(() => 'still running 30 s after SIGTERM'),
			]);
			const what = `SIGUSR1 ${delay} ms after the monitor started:\n${npm.output()}`;
			t.deepEqual(sockets, [], what);
			t.notRegex(npm.output(), unguardedInspector, what);
			// Survived: the signal was spent on an inspector that cannot listen, or asked for a
			// report, and SIGTERM then stopped the run cleanly. Otherwise it came within Node's
			// own first milliseconds, when its default action ends any program.
			if (survived) {
				t.is(code, 0, what);
			} else {
				// npm passes on the shell's status for a child ended by a signal: 128 + its number.
				t.is(code, 128 + 10, what);
			}

			outcomes.push(
				`${delay} ms: ${survived ? 'survived, exit 0 on SIGTERM' : 'killed by SIGUSR1'}${npm.output().includes('Starting inspector on 192.0.2.1:9229 failed') ? ', inspector refused' : ''}`,
			);
		}

		t.log(outcomes.join('\n'));
	},
);
