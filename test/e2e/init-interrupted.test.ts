// `serialwatch init --from-port` cut short: a SIGINT while it listens stops it with nothing
// written (a profile from the few lines that came would be a guess); a port that goes away
// (socat killed under it) ends the listening, and init says so before declaring what came.
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {createVirtualPair} from '../../source/adapters/virtual-pair.js';
import {deviceProfile, parseConfig} from '../../source/core/config.js';
import {startCli, stopOnTeardown} from '../helpers/cli.js';
import {requireSocat} from '../helpers/socat.js';
import {startSteadyDevice} from '../helpers/steady-device.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';

const pairsLine = (index: number) =>
	`temp:${(21 + (index % 50) / 100).toFixed(2)},hum:${40 + (index % 7)}\n`;

async function listening(t: ExecutionContext) {
	const dir = temporaryDirectory(t, 'init-interrupted');
	const device = join(dir, 'device-tty');
	const monitorSide = join(dir, 'monitor-tty');
	const pair = await createVirtualPair(device, monitorSide);
	t.teardown(async () => pair.close());
	const sender = startSteadyDevice(device, 20, pairsLine);
	t.teardown(() => {
		sender.stop();
	});
	const target = join(dir, 'config.yaml');
	// Far longer than the test: only the fault ends the listening.
	const init = stopOnTeardown(
		t,
		startCli(['init', target, '--from-port', monitorSide, '--seconds', '600']),
	);
	await init.waitFor(/listening to/);
	// Lines come meanwhile; how many does not matter to what is asserted.
	await new Promise((resolve) => {
		setTimeout(resolve, 3000);
	});
	return {init, target, pair, sender};
}

test('SIGINT while listening: exit 1, "stopped while listening", and no config written', async (t) => {
	if (!requireSocat(t)) {
		return;
	}

	t.timeout(120_000);
	const {init, target} = await listening(t);
	init.child.kill('SIGINT');
	t.is(await init.exited, 1, `${init.stderr()}`);
	t.regex(
		init.stderr(),
		/stopped while listening to \S+ \(\d+ lines? came\): nothing was written/,
	);
	t.false(existsSync(target), 'no config written');
});

test('the port goes away while listening (socat killed): init stops listening and says so; what it writes loads', async (t) => {
	if (!requireSocat(t)) {
		return;
	}

	t.timeout(120_000);
	const {init, target, pair, sender} = await listening(t);
	sender.stop();
	await pair.close();
	const code = await init.exited;
	t.regex(
		init.stderr(),
		/went away while listening; the device is declared from the \d+ lines? that came before/,
	);
	if (code === 0) {
		const config = parseConfig(readFileSync(target, 'utf8'), target);
		t.deepEqual(
			deviceProfile(config).fields.map((field) => field.key),
			['temp', 'hum'],
		);
	} else {
		// Nothing came before the port went: said, and nothing written.
		t.is(code, 1);
		t.regex(init.stderr(), /nothing came from/);
		t.false(existsSync(target));
	}
});
