// Terminal faults. A terminal that stops reading (Ctrl-S, a frozen SSH link) blocks the dashboard's
// synchronous writes to it. The monitoring runs in a collector process of its own, so raw.log
// must keep growing meanwhile; once the terminal reads again, the run stops cleanly.
import {execFileSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import process from 'node:process';
import test from 'ava';
import {cliPath} from '../helpers/cli.js';
import {readJson} from '../helpers/json.js';
import {requirePython} from '../helpers/python.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {terminalEnv} from '../helpers/terminal-env.js';

// Runs the CLI on a PTY whose other end nobody reads for `stallS` seconds, counting the
// lines in raw.log at two moments of the stall; then reads, sends SIGTERM and waits.
const driver = String.raw`
import os, pty, signal, sys, time, json, fcntl, struct, termios
raw, stall = sys.argv[1], float(sys.argv[2])
report = os.path.join(os.path.dirname(raw), 'anomaly_report.json')
pid, fd = pty.fork()
if pid == 0:
    # A big terminal: big frames fill the PTY's buffer within seconds.
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', 60, 200, 0, 0))
    os.execv(sys.argv[3], sys.argv[3:])
def lines():
    try:
        with open(raw, 'rb') as f:
            return f.read().count(b'\n')
    except FileNotFoundError:
        return 0
time.sleep(stall)
first = lines()
# SIGUSR1 asks the screen process for a report: blocked on the terminal, it cannot ask.
os.kill(pid, signal.SIGUSR1)
time.sleep(stall)
second = lines()
reported = os.path.exists(report)
# The terminal reads again: drain what is pending, stop the run, read until it exits.
os.kill(pid, signal.SIGTERM)
drained = 0
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    drained += len(chunk)
_, status = os.waitpid(pid, 0)
print(json.dumps({"first": first, "second": second, "drained": drained, "reported": reported, "code": os.waitstatus_to_exitcode(status)}))
`;

test('a terminal that stops reading freezes the picture, not the logging', (t) => {
	if (!requirePython(t)) {
		return;
	}

	const dir = temporaryDirectory(t, 'stall');
	const data = join(dir, 'data');
	const stallS = 10;
	const output = execFileSync(
		'python3',
		[
			'-c',
			driver,
			join(data, 'raw.log'),
			String(stallS),
			process.execPath,
			cliPath,
			'--demo',
			'--rate',
			'200',
			'--out',
			data,
		],
		{encoding: 'utf8', timeout: 60_000, env: terminalEnv()},
	);
	const result = readJson<{
		first: number;
		second: number;
		drained: number;
		reported: boolean;
		code: number;
	}>(output, {text: true});
	t.log(result);
	t.false(
		result.reported,
		'the screen process was blocked on the terminal (else the test proves nothing)',
	);
	// 200 lines/s: the stall must not have stopped the logging.
	t.true(
		result.second - result.first > stallS * 200 * 0.5,
		`raw.log grew by ${result.second - result.first} lines in ${stallS} s`,
	);
	t.is(result.code, 0);
	t.true(existsSync(join(data, 'anomaly_report.json')));
	const logged =
		readFileSync(join(data, 'raw.log'), 'utf8').split('\n').length - 1;
	t.true(logged >= result.second);
	t.true(Array.isArray(readJson(join(data, 'anomaly_report.json'))));
});

// The terminal goes away (the SSH link drops): the kernel hangs up the session.
const hangupDriver = String.raw`
import os, pty, sys, time, json
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
deadline = time.time() + 30
seen = b''
# Wait until the dashboard has drawn its readings, then close the terminal.
while b'Temperature' not in seen and time.time() < deadline:
    seen = (seen + os.read(fd, 65536))[-100000:]
os.close(fd)
_, status = os.waitpid(pid, 0)
print(json.dumps({"signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None, "code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None}))
`;

test('a terminal that hangs up: the run stops cleanly, its files complete, and it ends by SIGHUP, not a crash', (t) => {
	if (!requirePython(t)) {
		return;
	}

	const dir = temporaryDirectory(t, 'hangup');
	const data = join(dir, 'data');
	const output = execFileSync(
		'python3',
		['-c', hangupDriver, process.execPath, cliPath, '--demo', '--out', data],
		{encoding: 'utf8', timeout: 60_000, env: terminalEnv()},
	);
	const result = readJson<{signal: number | null; code: number | null}>(
		output,
		{text: true},
	);
	// Node.js 20 aborts (SIGABRT/SIGSEGV) when it cannot restore a vanished terminal at exit.
	t.deepEqual(result, {signal: 1, code: null});
	t.true(Array.isArray(readJson(join(data, 'anomaly_report.json'))));
	t.false(existsSync(join(data, '.serialwatch.lock')), 'the run ended cleanly');
	t.true(readFileSync(join(data, 'raw.log'), 'utf8').length > 0);
});
