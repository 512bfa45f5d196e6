// A serial port double behind the same interface as serialport's, for the source's
// reconnect logic. `openResults` decides, in order, whether each open succeeds.
import {Buffer} from 'node:buffer';
import {EventEmitter} from 'node:events';
import type {
	CreatePort,
	PortLike,
} from '../../source/adapters/serial-source.js';

// eslint-disable-next-line unicorn/prefer-event-target -- it mimics serialport, an EventEmitter
export class FakePort extends EventEmitter implements PortLike {
	isOpen = false;

	private readonly openError: string | undefined;

	constructor(openError: string | undefined) {
		super();
		this.openError = openError;
	}

	open(callback: (error: Error | null) => void) {
		setImmediate(() => {
			this.isOpen = this.openError === undefined;
			callback(this.openError === undefined ? null : new Error(this.openError));
		});
	}

	close(callback: (error: Error | null) => void) {
		this.isOpen = false;
		setImmediate(() => {
			this.emit('close');
			callback(null);
		});
	}

	/** The device sends bytes. */
	send(text: string) {
		this.emit('data', Buffer.from(text));
	}

	/** The cable is pulled. */
	unplug() {
		this.isOpen = false;
		const error = Object.assign(new Error('bad file descriptor'), {
			disconnected: true,
		});
		this.emit('close', error);
	}
}

export function fakePorts(openResults: Array<string | undefined>) {
	const made: FakePort[] = [];
	const createPort: CreatePort = () => {
		const port = new FakePort(openResults[made.length] ?? undefined);
		made.push(port);
		return port;
	};

	return {made, createPort};
}
