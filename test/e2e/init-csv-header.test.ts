// A CSV device that prints its header once, as it starts (an Arduino restarts when its port
// is opened): `init --from-port` keeps that first line and declares the columns by name.
import {readdirSync, readFileSync, readlinkSync, realpathSync} from 'node:fs';
import {join} from 'node:path';
import process from 'node:process';
import test from 'ava';
import {createVirtualPair} from '../../source/adapters/virtual-pair.js';
import {deviceProfile, parseConfig} from '../../source/core/config.js';
import {startCli, stopOnTeardown} from '../helpers/cli.js';
import {requireSocat} from '../helpers/socat.js';
import {startSteadyDevice} from '../helpers/steady-device.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {waitUntil} from '../helpers/wait-until.js';

/** Whether the process holds the tty open: then what the device sends now reaches it. */
function holds(pid: number, tty: string): boolean {
	try {
		return readdirSync(`/proc/${pid}/fd`).some((fd) => {
			try {
				return readlinkSync(`/proc/${pid}/fd/${fd}`) === tty;
			} catch {
				return false;
			}
		});
	} catch {
		return false;
	}
}

test('a header printed once, after the port opened, declares the columns by their names', async (t) => {
	// /proc tells when init holds the port: Linux only.
	if (!requireSocat(t) || process.platform !== 'linux') {
		return;
	}

	t.timeout(120_000);
	const dir = temporaryDirectory(t, 'init-csv-header');
	const device = join(dir, 'device-tty');
	const monitorSide = join(dir, 'monitor-tty');
	const pair = await createVirtualPair(device, monitorSide);
	t.teardown(async () => pair.close());
	const target = join(dir, 'config.yaml');
	const init = stopOnTeardown(
		t,
		startCli(['init', target, '--from-port', monitorSide, '--seconds', '5']),
	);
	const tty = realpathSync(monitorSide);
	await waitUntil(() => holds(init.child.pid!, tty), `init opens ${tty}`);
	// The device starts: its header, then a row every 100 ms.
	const sender = startSteadyDevice(device, 10, (index) =>
		index === 0
			? 'temperature,humidity,pressure\n'
			: `${(20 + (index % 30) / 10).toFixed(2)},${40 + (index % 9)}.0,1013.${index % 10}\n`,
	);
	t.teardown(() => {
		sender.stop();
	});
	t.is(await init.exited, 0, `${init.stderr()}`);
	const profile = deviceProfile(
		parseConfig(readFileSync(target, 'utf8'), target),
	);
	t.like(profile.format, {type: 'csv', header: true});
	t.deepEqual(
		profile.fields.map((field) => field.key),
		['temperature', 'humidity', 'pressure'],
	);
});
