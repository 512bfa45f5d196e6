import {mkdirSync, symlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {listLinuxPorts} from '../../source/commands/ports.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';

// A /dev and /sys/class/tty as Linux lays them out: a USB adapter, an on-board UART,
// and a legacy ttyS port with no hardware (no driver), which udev would not list either.
function fakeSystem(t: ExecutionContext) {
	const root = temporaryDirectory(t, 'sysfs');
	const dev = join(root, 'dev');
	const tty = join(root, 'sys', 'class', 'tty');
	const usb = join(root, 'sys', 'devices', 'usb1', '1-1');
	mkdirSync(dev, {recursive: true});
	for (const name of ['ttyUSB0', 'ttyAMA0', 'ttyS5', 'tty1', 'null']) {
		writeFileSync(join(dev, name), '');
	}

	mkdirSync(join(usb, '1-1:1.0', 'ttyUSB0', 'driver'), {recursive: true});
	writeFileSync(join(usb, 'idVendor'), '0403\n');
	writeFileSync(join(usb, 'idProduct'), '6001\n');
	writeFileSync(join(usb, 'manufacturer'), 'FTDI\n');
	writeFileSync(join(usb, 'serial'), 'A50285BI\n');
	mkdirSync(join(tty, 'ttyUSB0'), {recursive: true});
	symlinkSync(join(usb, '1-1:1.0', 'ttyUSB0'), join(tty, 'ttyUSB0', 'device'));
	const uart = join(root, 'sys', 'devices', 'platform', 'serial0');
	mkdirSync(join(uart, 'driver'), {recursive: true});
	mkdirSync(join(tty, 'ttyAMA0'), {recursive: true});
	symlinkSync(uart, join(tty, 'ttyAMA0', 'device'));
	mkdirSync(join(tty, 'ttyS5', 'device'), {recursive: true});
	return {dev, tty};
}

test('without udevadm, ports are read from /dev and sysfs, USB details included', (t) => {
	const {dev, tty} = fakeSystem(t);
	t.deepEqual(listLinuxPorts(dev, tty), [
		{
			path: join(dev, 'ttyAMA0'),
			manufacturer: undefined,
			serialNumber: undefined,
			vendorId: undefined,
			productId: undefined,
		},
		{
			path: join(dev, 'ttyUSB0'),
			manufacturer: 'FTDI',
			serialNumber: 'A50285BI',
			vendorId: '0403',
			productId: '6001',
		},
	]);
});

test('no /dev at all gives no ports rather than an error', (t) => {
	t.deepEqual(listLinuxPorts('/nonexistent/dev', '/nonexistent/tty'), []);
});
