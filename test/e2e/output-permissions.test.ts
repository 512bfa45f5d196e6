// Output files this user may not write, as a non-root user meets them (root ignores file
// modes, so as root the CLI runs under `setpriv` as nobody): the monitor stops at start,
// exit 1, naming the file and both fixes, before it waits for any port.
import process from 'node:process';
import {spawn} from 'node:child_process';
import {chmodSync, chownSync, mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {isOnPath} from '../../source/adapters/executable-on-path.js';
import {cliPath} from '../helpers/cli.js';
import {escapeRegExp} from '../helpers/escape-regexp.js';
import {requireTool} from '../helpers/require-tool.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';

const isRoot = process.getuid?.() === 0;
const nobody = {uid: 65_534, name: 'nobody'};

/** The CLI as a user that is not root: nobody (via setpriv) when the tests run as root. */
async function runAsNonRoot(
	args: string[],
): Promise<{code: number | null; stderr: string}> {
	const [command, ...rest] = isRoot
		? [
				'setpriv',
				'--reuid=nobody',
				'--regid=nogroup',
				'--clear-groups',
				process.execPath,
				cliPath,
				...args,
			]
		: [process.execPath, cliPath, ...args];
	const child = spawn(command, rest, {stdio: ['ignore', 'ignore', 'pipe']});
	let stderr = '';
	child.stderr.setEncoding('utf8').on('data', (text: string) => {
		stderr += text;
	});
	const timer = setTimeout(() => {
		child.kill('SIGKILL');
	}, 10_000);
	const code = await new Promise<number | null>((resolve) => {
		child.on('close', resolve);
	});
	clearTimeout(timer);
	return {code, stderr};
}

function ready(t: ExecutionContext): boolean {
	return (
		!isRoot ||
		requireTool(t, {
			name: 'setpriv',
			available: isOnPath('setpriv'),
			purpose: 'to run the CLI as a user that file modes apply to',
			install: 'apt-get install util-linux',
		})
	);
}

/** A directory tree the other user can enter: mkdtemp makes it 0700. */
function workspace(t: ExecutionContext): string {
	const dir = temporaryDirectory(t, 'permissions');
	chmodSync(dir, 0o755);
	return dir;
}

const user = isRoot ? nobody.name : undefined;

test('an output dir this user may not write: exit 1 at start, naming the file and the fix', async (t) => {
	if (!ready(t)) {
		return;
	}

	const dir = workspace(t);
	const out = join(dir, 'data');
	mkdirSync(out, {mode: 0o755});
	if (!isRoot) {
		chmodSync(out, 0o555);
	}

	const {code, stderr} = await runAsNonRoot([
		'--headless',
		'--port',
		join(dir, 'no-port'),
		'--out',
		out,
	]);
	t.is(code, 1, `${stderr}`);
	t.regex(
		stderr,
		new RegExp(
			String.raw`^serialwatch: cannot write the output files in ${escapeRegExp(out)}: EACCES: permission denied, open '${escapeRegExp(join(out, '.serialwatch.lock'))}'\. Let ${user ?? String.raw`\S+`} write there \(sudo chown -R ${user ?? String.raw`\S+`} ${escapeRegExp(out)}\), or choose another directory with --out or output\.dir in config\.yaml\.\n$`,
		),
	);
});

for (const file of ['raw.log', 'structured_metrics.csv', 'parser_errors.log']) {
	test(`${file} left by another user, read-only: exit 1 at start, naming it`, async (t) => {
		if (!ready(t)) {
			return;
		}

		const dir = workspace(t);
		const out = join(dir, 'data');
		mkdirSync(out, {mode: 0o755});
		writeFileSync(join(out, file), '', {mode: 0o444});
		if (isRoot) {
			// The dir is nobody's; the file stays root's.
			chownSync(out, nobody.uid, 65_534);
		}

		const {code, stderr} = await runAsNonRoot([
			'--headless',
			'--port',
			join(dir, 'no-port'),
			'--out',
			out,
		]);
		t.is(code, 1, `${stderr}`);
		t.regex(
			stderr,
			new RegExp(
				String.raw`EACCES: permission denied, open '${escapeRegExp(join(out, file))}'\. Let \S+ write there \(sudo chown -R \S+ ${escapeRegExp(out)}\)`,
			),
		);
		t.notRegex(stderr, /waiting for|listening on/);
	});
}
