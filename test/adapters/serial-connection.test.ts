import test from 'ava';
import {
	createSerialConnection,
	type SerialSettings,
} from '../../source/adapters/serial-connection.js';
import {
	PortOpenError,
	type SourceStatus,
} from '../../source/adapters/serial-source.js';
import {fakePorts} from '../helpers/fake-port.js';
import {waitUntil} from '../helpers/wait-until.js';

const settings = (port: string, waitForPort = true): SerialSettings => ({
	port,
	baudRate: 9600,
	reconnectIntervalMs: 20,
	waitForPort,
});

const missing = 'No such file or directory';
const ignoreAll = {
	onData: () => undefined,
	onStatus: () => undefined,
	onNotice: () => undefined,
};

/** Ports that exist or not by name; each open of a present one succeeds. */
function devices(present: Set<string>) {
	const opened: string[] = [];
	const {made, createPort} = fakePorts([]);
	return {
		made,
		opened,
		createPort(path: string, baudRate: number) {
			const port = createPort(path, baudRate);
			const open = port.open.bind(port);
			port.open = (callback) => {
				if (present.has(path)) {
					opened.push(path);
					open(callback);
				} else {
					setImmediate(() => {
						callback(new Error(missing));
					});
				}
			};

			return port;
		},
		identify: (path: string) => (present.has(path) ? `dev:${path}` : undefined),
	};
}

test('a port that does not exist yet is waited for, checked every interval, and opened when it appears', async (t) => {
	const present = new Set<string>();
	const fake = devices(present);
	const statuses: SourceStatus[] = [];
	const connection = createSerialConnection(settings('/dev/ttyUSB0'), {
		...ignoreAll,
		onStatus(status) {
			statuses.push(status);
		},
		createPort: fake.createPort,
		identify: fake.identify,
	});
	await connection.start();
	t.deepEqual(statuses[0], {state: 'waiting', path: '/dev/ttyUSB0'});
	await new Promise((resolve) => {
		setTimeout(resolve, 100);
	});
	t.deepEqual(fake.opened, []);
	t.true(
		statuses.every((status) => status.state === 'waiting'),
		'still waiting, never "retrying" or "lost": it was never there',
	);
	present.add('/dev/ttyUSB0');
	await waitUntil(() => statuses.at(-1)?.state === 'open', 'the port opens');
	t.deepEqual(fake.opened, ['/dev/ttyUSB0']);
	await connection.stop();
});

test('without waiting, a port that does not exist fails the start at once', async (t) => {
	const fake = devices(new Set());
	const connection = createSerialConnection(settings('/dev/ttyUSB0', false), {
		...ignoreAll,
		createPort: fake.createPort,
		identify: fake.identify,
	});
	const error = await t.throwsAsync(connection.start(), {
		instanceOf: PortOpenError,
	});
	t.true(error.missing);
	await connection.stop();
});

test('a path that exists but will not open is an error at once, waiting or not', async (t) => {
	const {createPort} = fakePorts(['Permission denied, cannot open /dev/ttyS0']);
	const connection = createSerialConnection(settings('/dev/ttyS0'), {
		...ignoreAll,
		createPort,
		identify: () => 'dev:ttyS0',
	});
	const error = await t.throwsAsync(connection.start(), {
		instanceOf: PortOpenError,
	});
	t.false(error.missing);
	t.regex(error.message, /dialout/);
	await connection.stop();
});

test('away from an open port, a retune to a missing one goes back; while waiting, it waits for the new one instead', async (t) => {
	const present = new Set(['/dev/ttyUSB0']);
	const fake = devices(present);
	const notices: string[] = [];
	const statuses: SourceStatus[] = [];
	const connection = createSerialConnection(settings('/dev/ttyUSB0'), {
		...ignoreAll,
		onStatus(status) {
			statuses.push(status);
		},
		onNotice(text) {
			notices.push(text);
		},
		createPort: fake.createPort,
		identify: fake.identify,
	});
	await connection.start();
	const back = await connection.retune(settings('/dev/ttyTYPO'));
	t.is(back.port, '/dev/ttyUSB0', 'a typo does not end the monitoring');
	t.regex(notices.at(-1)!, /Staying on \/dev\/ttyUSB0/);
	await waitUntil(
		() => statuses.filter((status) => status.state === 'open').length === 2,
		'the old port reopens',
	);

	present.delete('/dev/ttyUSB0');
	fake.made.at(-1)!.unplug();
	await waitUntil(() => statuses.at(-1)?.state !== 'open', 'the port is lost');
	const moved = await connection.retune(settings('/dev/ttyACM0'));
	t.is(moved.port, '/dev/ttyACM0');
	t.deepEqual(statuses.at(-1), {state: 'waiting', path: '/dev/ttyACM0'});
	present.add('/dev/ttyACM0');
	await waitUntil(
		() => fake.opened.includes('/dev/ttyACM0'),
		'the new port opens once it appears',
	);
	await connection.stop();
});

test('a retune before start only changes what start opens', async (t) => {
	const fake = devices(new Set(['/dev/ttyB']));
	const connection = createSerialConnection(settings('/dev/ttyA'), {
		...ignoreAll,
		createPort: fake.createPort,
		identify: fake.identify,
	});
	const chosen = await connection.retune(settings('/dev/ttyB'));
	t.is(chosen.port, '/dev/ttyB');
	await connection.start();
	t.deepEqual(fake.opened, ['/dev/ttyB']);
	await connection.stop();
});

test('a port waited for that appears but will not open (held by another program) says why, and keeps trying', async (t) => {
	const present = new Set<string>();
	const fake = devices(present);
	let locked = true;
	const statuses: SourceStatus[] = [];
	const connection = createSerialConnection(settings('/dev/ttyUSB0'), {
		...ignoreAll,
		onStatus(status) {
			statuses.push(status);
		},
		createPort(path, baudRate) {
			const port = fake.createPort(path, baudRate);
			const open = port.open.bind(port);
			port.open = (callback) => {
				if (locked && present.has(path)) {
					setImmediate(() => {
						callback(
							new Error(
								'Error Resource temporarily unavailable Cannot lock port',
							),
						);
					});
				} else {
					open(callback);
				}
			};

			return port;
		},
		identify: fake.identify,
	});
	await connection.start();
	present.add('/dev/ttyUSB0');
	await waitUntil(
		() => statuses.some((status) => status.state === 'retrying'),
		'a retry that says why',
	);
	const retrying = statuses.find((status) => status.state === 'retrying');
	t.like(retrying, {state: 'retrying', missing: false});
	t.regex(
		retrying?.state === 'retrying' ? retrying.reason : '',
		/Another program holds the port.*fuser \/dev\/ttyUSB0/s,
	);
	locked = false;
	await waitUntil(
		() => statuses.at(-1)?.state === 'open',
		'it opens once free',
	);
	await connection.stop();
});
