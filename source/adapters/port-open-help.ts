// Why a serial port would not open and what to do about it, in one message: the port, the
// cause and the fix, for the monitor's port and the emulator's alike.

/** The advice for a path with no device behind it, from the monitor's side. */
export const monitorPortMissing =
	'No device at that path. Run `serialwatch ports` to list the ports on this machine, then pass --port PATH (or set serial.port in config.yaml). For a virtual device, start `serialwatch emulate --pair` first.';

export function describeOpenError(
	port: string,
	cause: string,
	whenMissing = monitorPortMissing,
): string {
	// serialport's messages repeat the path ("Error: ..., cannot open <path>"); say it once.
	const reason = cause
		.replace(/^Error: /, '')
		.replace(`, cannot open ${port}`, '');
	const head = `Cannot open serial port ${port}: ${reason}.`;
	if (/no such file|enoent|cannot find/i.test(reason)) {
		return `${head}\n${whenMissing}`;
	}

	if (/permission denied|eacces|access denied/i.test(reason)) {
		return `${head}\nYour user may not read it. On Linux, add yourself to the group that owns it (usually dialout: sudo usermod -aG dialout "$USER", then log in again); check with ls -l ${port}.`;
	}

	if (/inappropriate ioctl|enotty/i.test(reason)) {
		return `${head}\nThat path is not a serial port (it is no terminal device, as serial ports are): check it with \`serialwatch ports\`.`;
	}

	if (/busy|lock|eagain|temporarily unavailable/i.test(reason)) {
		return `${head}\nAnother program holds the port (another serialwatch, screen, minicom, ModemManager). Find it with: fuser ${port}`;
	}

	return `${head}\nCheck that the device is connected and that the path is right (\`serialwatch ports\`).`;
}
