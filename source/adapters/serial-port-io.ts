// serialport's open, write and close take callbacks; these are the same calls as promises,
// each rejecting with the error its callback got. Real and mock ports alike.
import type {SerialPort, SerialPortMock} from 'serialport';

type Port = SerialPort | SerialPortMock;

export async function openPort(port: Pick<Port, 'open'>): Promise<void> {
	return new Promise((resolve, reject) => {
		port.open(settle(resolve, reject));
	});
}

/**
 * Resolves once the bytes have left the port: written, then drained (tcdrain), not only
 * handed to the stream. The drain waits for the pending write, as serialport documents.
 */
export async function writeAll(
	port: Pick<Port, 'write' | 'drain'>,
	bytes: Uint8Array | string,
): Promise<void> {
	return new Promise((resolve, reject) => {
		port.write(bytes, (error) => {
			if (error) {
				reject(error);
			}
		});
		port.drain(settle(resolve, reject));
	});
}

export async function closePort(port: Pick<Port, 'close'>): Promise<void> {
	return new Promise((resolve, reject) => {
		port.close(settle(resolve, reject));
	});
}

function settle(resolve: () => void, reject: (error: Error) => void) {
	return (error: Error | null | undefined) => {
		if (error) {
			reject(error);
		} else {
			resolve();
		}
	};
}
