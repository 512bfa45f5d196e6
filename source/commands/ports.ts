// `serialwatch ports`: the serial ports on this machine. serialport's list() runs
// udevadm on Linux and crashes the process when it is missing (containers, minimal
// installs), so there the ports are read from /dev and /sys instead.
import {existsSync, readdirSync, readFileSync, realpathSync} from 'node:fs';
import {join} from 'node:path';
import process from 'node:process';
import {SerialPort} from 'serialport';
import {errorMessage} from '../core/error-message.js';
import {RunFailure} from '../core/run-failure.js';
import {isOnPath} from '../adapters/executable-on-path.js';
import type {CommandIo} from './command-io.js';

export type PortEntry = {
	path: string;
	manufacturer?: string;
	serialNumber?: string;
	vendorId?: string;
	productId?: string;
};

export async function ports(io: CommandIo): Promise<number> {
	let found: PortEntry[];
	try {
		found =
			process.platform === 'linux' && !isOnPath('udevadm')
				? listLinuxPorts()
				: await SerialPort.list();
	} catch (error) {
		throw new RunFailure(`cannot list ports: ${errorMessage(error)}`);
	}

	if (found.length === 0) {
		io.stderr(
			'No serial ports found. Plug the device in, or make a virtual pair with `serialwatch emulate --pair`.\n',
		);
		return 0;
	}

	const rows = [
		['PATH', 'MANUFACTURER', 'SERIAL NUMBER', 'VID:PID'],
		...found.map((port) => [
			port.path,
			port.manufacturer ?? '-',
			port.serialNumber ?? '-',
			port.vendorId ? `${port.vendorId}:${port.productId ?? '?'}` : '-',
		]),
	];
	const widths = rows[0]!.map((_, column) =>
		Math.max(...rows.map((row) => row[column]!.length)),
	);
	io.stdout(
		rows
			.map((row) =>
				row
					.map((cell, column) => cell.padEnd(widths[column]!))
					.join('  ')
					.trimEnd(),
			)
			.join('\n') + '\n',
	);
	return 0;
}

/** USB serial adapters and on-board UARTs, described from sysfs (what udevadm would read). */
export function listLinuxPorts(
	dev = '/dev',
	sys = '/sys/class/tty',
): PortEntry[] {
	const names = safeReaddir(dev).filter((name) =>
		/^tty(USB|ACM|AMA|S|XRUSB|MFD|O)\d+$/.test(name),
	);
	return names
		.map((name): PortEntry | undefined => {
			const device = join(sys, name, 'device');
			// Legacy ttyS ports that no hardware backs have no driver: skip them, as udev does.
			if (!existsSync(join(device, 'driver'))) {
				return undefined;
			}

			const usb = findUsbDevice(device);
			return {
				path: join(dev, name),
				manufacturer: usb && readAttribute(usb, 'manufacturer'),
				serialNumber: usb && readAttribute(usb, 'serial'),
				vendorId: usb && readAttribute(usb, 'idVendor'),
				productId: usb && readAttribute(usb, 'idProduct'),
			};
		})
		.filter((entry) => entry !== undefined);
}

function findUsbDevice(device: string): string | undefined {
	let current: string;
	try {
		current = realpathSync(device);
	} catch {
		return undefined;
	}

	for (let depth = 0; depth < 6 && current !== '/'; depth++) {
		if (existsSync(join(current, 'idVendor'))) {
			return current;
		}

		current = join(current, '..');
	}

	return undefined;
}

function readAttribute(dir: string, name: string): string | undefined {
	try {
		return readFileSync(join(dir, name), 'utf8').trim() || undefined;
	} catch {
		return undefined;
	}
}

function safeReaddir(dir: string): string[] {
	try {
		return readdirSync(dir);
	} catch {
		return [];
	}
}
