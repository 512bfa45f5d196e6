// A pair whose emulator died with SIGKILL leaves socat running, adopted by pid 1 or a
// subreaper: the next pair takes its paths over. A pair whose starter still runs is refused,
// naming both processes. Real socat processes, found by the code through /proc.
import {execFileSync, spawn} from 'node:child_process';
import {existsSync, readFileSync, realpathSync} from 'node:fs';
import {join} from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import test, {type ExecutionContext} from 'ava';
import {hasExited} from '../../source/adapters/pair-holder.js';
import {createVirtualPair} from '../../source/adapters/virtual-pair.js';
import {requirePython} from '../helpers/python.js';
import {requireSocat} from '../helpers/socat.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {waitUntil} from '../helpers/wait-until.js';

const virtualPairModule = fileURLToPath(
	new URL('../../source/adapters/virtual-pair.ts', import.meta.url),
);

function socatArgs(pathA: string, pathB: string): string[] {
	return [
		'-d',
		'-d',
		`pty,raw,echo=0,link=${pathA}`,
		`pty,raw,echo=0,link=${pathB}`,
	];
}

function parentOf(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** Kills, at the test's end, whatever of these processes is still running. */
function killOnTeardown(t: ExecutionContext, pids: number[]): void {
	t.teardown(() => {
		for (const pid of pids) {
			if (!hasExited(pid)) {
				try {
					process.kill(pid, 'SIGKILL');
				} catch {
					// Gone in between.
				}
			}
		}
	});
}

function setUp(t: ExecutionContext): {device: string; monitor: string} {
	const directory = temporaryDirectory(t, 'orphan');
	return {
		device: join(directory, 'device'),
		monitor: join(directory, 'monitor'),
	};
}

function needsProcAndSocat(t: ExecutionContext): boolean {
	if (!existsSync('/proc/self/stat')) {
		t.log('SKIPPED: no /proc here; an occupied pair is refused as before');
		t.pass();
		return false;
	}

	return requireSocat(t);
}

async function waitForLinks(device: string, monitor: string): Promise<void> {
	await waitUntil(
		() => existsSync(device) && existsSync(monitor),
		`socat links ${device} and ${monitor}`,
	);
}

test.serial(
	'a socat left by a shell that exited is stopped and its paths taken over',
	async (t) => {
		if (!needsProcAndSocat(t)) {
			return;
		}

		const {device, monitor} = setUp(t);
		// The shell exits at once: socat is adopted, as after its emulator's SIGKILL.
		const orphan = Number(
			execFileSync(
				'sh',
				[
					'-c',
					'socat "$@" </dev/null >/dev/null 2>&1 & echo $!',
					'sh',
					...socatArgs(device, monitor),
				],
				{encoding: 'utf8'},
			).trim(),
		);
		killOnTeardown(t, [orphan]);
		await waitForLinks(device, monitor);

		const notices: string[] = [];
		const pair = await createVirtualPair(device, monitor, {
			onNotice(text) {
				notices.push(text);
			},
		});
		try {
			t.deepEqual(notices, [
				`replaced an orphaned pair at ${device} (socat pid ${orphan}, its emulator gone)`,
			]);
			t.true(hasExited(orphan), 'the old socat is gone');
			t.not(pair.pid, orphan);
			t.true(
				existsSync(device) && existsSync(monitor),
				'the new links are live',
			);
			t.is(parentOf(pair.pid!), process.pid);
		} finally {
			await pair.close();
		}
	},
);

test.serial(
	'an emulator killed with SIGKILL under a subreaper: its socat is taken over',
	async (t) => {
		if (!needsProcAndSocat(t) || !requirePython(t)) {
			return;
		}

		const {device, monitor} = setUp(t);
		// The subreaper adopts what its descendants leave, as systemd --user does on a
		// desktop: the orphan's parent is then neither pid 1 nor its starter.
		const subreaper = spawn(
			'python3',
			[
				'-c',
				'import ctypes, subprocess, sys\nctypes.CDLL(None).prctl(36, 1, 0, 0, 0)\nsubprocess.Popen(sys.argv[1:])\nsys.stdin.read()',
				process.execPath,
				'--import=tsx',
				'--input-type=module',
				'-e',
				`const {createVirtualPair} = await import(${JSON.stringify(virtualPairModule)});
				const pair = await createVirtualPair(process.argv[1], process.argv[2]);
				console.log(pair.pid);
				setInterval(() => {}, 1000);`,
				device,
				monitor,
			],
			{stdio: ['pipe', 'pipe', 'inherit']},
		);
		killOnTeardown(t, [subreaper.pid!]);
		let output = '';
		subreaper.stdout.setEncoding('utf8');
		subreaper.stdout.on('data', (chunk: string) => {
			output += chunk;
		});
		await waitUntil(() => output.includes('\n'), 'the emulator links the pair');
		const socat = Number(output.trim());
		const emulator = parentOf(socat);
		killOnTeardown(t, [socat, emulator]);
		t.not(emulator, subreaper.pid);

		process.kill(emulator, 'SIGKILL');
		await waitUntil(
			() => parentOf(socat) === subreaper.pid,
			'the subreaper adopts socat',
		);
		t.true(existsSync(device), 'the orphan keeps its links');

		const notices: string[] = [];
		const pair = await createVirtualPair(device, monitor, {
			onNotice(text) {
				notices.push(text);
			},
		});
		try {
			t.deepEqual(notices, [
				`replaced an orphaned pair at ${device} (socat pid ${socat}, its emulator gone)`,
			]);
			t.true(hasExited(socat), 'the old socat is gone');
		} finally {
			await pair.close();
			subreaper.stdin.end();
		}
	},
);

test.serial(
	'a pair whose emulator runs is refused, naming socat and its emulator',
	async (t) => {
		if (!needsProcAndSocat(t)) {
			return;
		}

		const {device, monitor} = setUp(t);
		const pair = await createVirtualPair(device, monitor);
		try {
			const target = realpathSync(device);
			await t.throwsAsync(createVirtualPair(device, monitor), {
				message: `a virtual pair is already running at ${device}, held by socat pid ${pair.pid}, started by pid ${process.pid}: stop that emulate first, or pass --port with another path`,
			});
			t.false(hasExited(pair.pid!), 'the running pair is left alone');
			t.is(realpathSync(device), target, 'and keeps its links');
		} finally {
			await pair.close();
		}
	},
);

test.serial(
	'a socat started by hand whose shell runs is refused, naming both pids',
	async (t) => {
		if (!needsProcAndSocat(t)) {
			return;
		}

		const {device, monitor} = setUp(t);
		const socat = spawn('socat', socatArgs(device, monitor), {stdio: 'ignore'});
		killOnTeardown(t, [socat.pid!]);
		await waitForLinks(device, monitor);

		// The monitor side alone is enough to hold the pair.
		await t.throwsAsync(
			createVirtualPair(join(device, '..', 'other'), monitor),
			{
				message: `a virtual pair is already running at ${monitor}, held by socat pid ${socat.pid}, started by pid ${process.pid}: stop it first, or pass --port with another path`,
			},
		);
		t.false(hasExited(socat.pid!), 'it is left running');
		t.false(existsSync(join(device, '..', 'other')), 'and nothing was created');
	},
);
