import {Buffer} from 'node:buffer';
import {existsSync, lstatSync, realpathSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import process from 'node:process';
import test from 'ava';
import {SerialPort} from 'serialport';
import {closePort, openPort} from '../../source/adapters/serial-port-io.js';
import {
	createVirtualPair,
	hasSocat,
	socatMissingMessage,
} from '../../source/adapters/virtual-pair.js';
import {requireSocat} from '../helpers/socat.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';

async function open(path: string): Promise<SerialPort> {
	const port = new SerialPort({path, baudRate: 115_200, autoOpen: false});
	await openPort(port);
	return port;
}

test.serial('a line written on one side is read on the other', async (t) => {
	// Without socat, CI fails and a developer's machine skips, saying so.
	if (!requireSocat(t)) {
		return;
	}

	const directory = temporaryDirectory(t, 'pair');
	const device = join(directory, 'device');
	const monitor = join(directory, 'monitor');
	const pair = await createVirtualPair(device, monitor);
	try {
		t.true(lstatSync(device).isSymbolicLink());
		t.true(lstatSync(monitor).isSymbolicLink());

		const reader = await open(monitor);
		const writer = await open(device);
		try {
			const received = new Promise<string>((resolve) => {
				let text = '';
				reader.on('data', (chunk: Uint8Array) => {
					text += Buffer.from(chunk).toString('utf8');
					if (text.includes('\n')) {
						resolve(text);
					}
				});
			});
			writer.write('T:25.0,V:5.00,S:NORMAL\n');
			const timeout = new Promise<string>((resolve) => {
				setTimeout(() => {
					resolve('(nothing within 5 s)');
				}, 5000).unref();
			});
			t.is(await Promise.race([received, timeout]), 'T:25.0,V:5.00,S:NORMAL\n');
		} finally {
			await closePort(writer);
			await closePort(reader);
		}
	} finally {
		await pair.close();
		await pair.close(); // Twice is harmless.
	}

	t.false(existsSync(device) || existsSync(monitor));
});

test.serial(
	'without socat on PATH, the error says how to install it',
	async (t) => {
		const directory = temporaryDirectory(t, 'pair');
		const path = process.env['PATH'];
		process.env['PATH'] = '/nonexistent';
		try {
			t.false(hasSocat());
			await t.throwsAsync(
				createVirtualPair(join(directory, 'a'), join(directory, 'b')),
				{
					message: socatMissingMessage,
				},
			);
		} finally {
			process.env['PATH'] = path;
		}
	},
);

test.serial('refuses to replace a file that is not a link', async (t) => {
	const directory = temporaryDirectory(t, 'pair');
	const file = join(directory, 'notes.txt');
	writeFileSync(file, 'keep me');
	const error = await t.throwsAsync(
		createVirtualPair(file, join(directory, 'monitor')),
	);
	t.regex(error.message, /not a symlink/v);
	t.true(existsSync(file));
});

test.serial(
	'refuses to take over the links of a pair that is running',
	async (t) => {
		if (!requireSocat(t)) {
			return;
		}

		const directory = temporaryDirectory(t, 'pair');
		const device = join(directory, 'device');
		const monitor = join(directory, 'monitor');
		const pair = await createVirtualPair(device, monitor);
		try {
			const target = realpathSync(device);
			await t.throwsAsync(createVirtualPair(device, monitor), {
				message: /a virtual pair is already running at .*device/,
			});
			t.is(realpathSync(device), target, 'the running pair keeps its links');
		} finally {
			await pair.close();
		}
	},
);
