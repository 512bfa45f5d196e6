import test from 'ava';
import {
	createSerialSource,
	PortOpenError,
	type SourceStatus,
} from '../../source/adapters/serial-source.js';
import {fakePorts} from '../helpers/fake-port.js';

const wait = async (ms: number) =>
	new Promise((resolve) => {
		setTimeout(resolve, ms);
	});

test('a port that vanishes is retried every interval until it is back; data flows again', async (t) => {
	const {made, createPort} = fakePorts([
		undefined,
		'No such file or directory',
		'No such file or directory',
		undefined,
	]);
	const received: string[] = [];
	const statuses: Array<SourceStatus['state']> = [];
	const source = createSerialSource({
		path: '/dev/ttyFAKE0',
		baudRate: 9600,
		reconnectIntervalMs: 20,
		createPort,
		onData(chunk) {
			received.push(chunk.toString());
		},
		onStatus(status) {
			statuses.push(status.state);
		},
	});
	await source.start();
	made[0]!.send('T:1,V:5,S:NORMAL\n');
	made[0]!.unplug();
	await wait(150);
	t.is(made.length, 4, 'two failed retries, then success');
	made[3]!.send('T:2,V:5,S:NORMAL\n');
	t.deepEqual(received, ['T:1,V:5,S:NORMAL\n', 'T:2,V:5,S:NORMAL\n']);
	t.deepEqual(statuses, ['open', 'lost', 'retrying', 'retrying', 'open']);
	await source.stop();
	await wait(60);
	t.is(made.length, 4, 'no retry after stop');
});

test('the first open failing is an error that names the port, the cause and the fix', async (t) => {
	const cases: Array<[string, RegExp]> = [
		[
			'No such file or directory, cannot open /dev/ttyUSB9',
			/serialwatch ports/,
		],
		['Permission denied, cannot open /dev/ttyUSB9', /dialout/],
		[
			'Error Resource temporarily unavailable Cannot lock port',
			/Another program holds the port/,
		],
		[
			'Inappropriate ioctl for device setting custom baud rate of 115200',
			/not a serial port/,
		],
	];
	for (const [cause, fix] of cases) {
		const source = createSerialSource({
			path: '/dev/ttyUSB9',
			baudRate: 9600,
			reconnectIntervalMs: 20,
			createPort: fakePorts([cause]).createPort,
			onData() {
				t.fail('no data expected');
			},
		});
		// eslint-disable-next-line no-await-in-loop
		const error = await t.throwsAsync(source.start(), {
			instanceOf: PortOpenError,
		});
		t.regex(error.message, /^Cannot open serial port \/dev\/ttyUSB9: /);
		t.regex(error.message, fix);
	}
});

test('a port that stays open on a device that is gone (dead PTY) is closed and reopened', async (t) => {
	const {made, createPort} = fakePorts([undefined, undefined]);
	let device = 'pts/3';
	const reasons: string[] = [];
	const source = createSerialSource({
		path: '/tmp/monitor-tty',
		baudRate: 9600,
		reconnectIntervalMs: 20,
		createPort,
		identify: () => device,
		onData() {
			t.fail('no data expected');
		},
		onStatus(status) {
			reasons.push(
				status.state === 'open' || status.state === 'waiting'
					? status.state
					: `${status.state}: ${status.reason}`,
			);
		},
	});
	await source.start();
	// Socat restarted: the same link now names a new PTY, while the old one never said goodbye.
	device = 'pts/7';
	await wait(80);
	await source.stop();
	t.is(made.length, 2);
	t.deepEqual(reasons, [
		'open',
		'lost: the path now names another device',
		'open',
	]);
	t.false(made[0]!.isOpen);
});
