// A port that dies mid-line (socat killed, as a cable pulled while the device writes): the
// fragment is one malformed line of the old opening, logged when the loss is seen, with
// the time its bytes arrived; the first line after the port is back starts a line of its own.
import process from 'node:process';
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {SerialPort} from 'serialport';
import {
	closePort,
	openPort,
	writeAll,
} from '../../source/adapters/serial-port-io.js';
import {createVirtualPair} from '../../source/adapters/virtual-pair.js';
import {startCli, stopOnTeardown} from '../helpers/cli.js';
import {portWorkspace, sendLines} from '../helpers/port-workspace.js';
import {requireSocat} from '../helpers/socat.js';
import {linesOf, waitUntil} from '../helpers/wait-until.js';

test('a partial line when the port dies is a line of its own, never glued to the next opening first line', async (t) => {
	if (!requireSocat(t)) {
		return;
	}

	const workspace = portWorkspace(t, 'partial-lost');
	let pair = await createVirtualPair(workspace.device, workspace.monitorSide);
	t.teardown(async () => pair.close());
	const monitor = stopOnTeardown(
		t,
		startCli(['--config', workspace.configPath, '--headless']),
	);
	await monitor.waitFor(/listening on/);
	const port = new SerialPort({
		path: workspace.device,
		baudRate: 115_200,
		autoOpen: false,
	});
	await openPort(port);
	await writeAll(port, 'T:1\nT:2\npartial');
	await waitUntil(
		() => workspace.rawLines().length === 2,
		'the monitor has logged the two whole lines',
	);
	// The fragment came in the same write; give it a moment to reach the monitor.
	await new Promise((resolve) => {
		setTimeout(resolve, 300);
	});
	const beforeLoss = Date.now();
	process.kill(pair.pid!, 'SIGKILL');
	await closePort(port).catch(() => undefined);
	await monitor.waitFor(/lost .*monitor-tty/);
	await waitUntil(
		() => workspace.rawLines().length === 3,
		'the fragment is logged when the loss is seen, before the port is back',
	);
	await pair.close();

	pair = await createVirtualPair(workspace.device, workspace.monitorSide);
	await monitor.waitFor(/listening on[^]*listening on/);
	await sendLines(workspace.device, ['T:3,V:5.0,S:NORMAL']);
	await waitUntil(
		() => workspace.rawLines().length === 4,
		'the new line is logged',
	);
	monitor.child.kill('SIGINT');
	t.is(await monitor.exited, 0, `${monitor.stderr()}`);

	t.deepEqual(workspace.rawLines(), [
		'T:1',
		'T:2',
		'partial',
		'T:3,V:5.0,S:NORMAL',
	]);
	const raw = linesOf(readFileSync(workspace.rawLog, 'utf8'));
	t.true(
		Date.parse(raw[2]!.split('\t')[0]!) <= beforeLoss,
		'the fragment keeps the time its bytes arrived',
	);
	const errorsLog = join(workspace.data, 'parser_errors.log');
	t.true(existsSync(errorsLog));
	t.regex(readFileSync(errorsLog, 'utf8'), /\tpartial\t3\n/);
});
