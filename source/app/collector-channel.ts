// The collector's side of the IPC channel that child_process.fork opens: it waits for the
// 'start' message, then carries snapshots out and keys in. Messages that come before the
// collector listens (a key pressed while raw.log is taken up) are kept for it.
import type {
	CollectorChannel,
	CollectorInput,
	FromCollector,
	ToCollector,
} from './collector-protocol.js';

type IpcProcess = Pick<
	NodeJS.Process,
	'on' | 'once' | 'off' | 'send' | 'connected'
>;

export type ProcessChannel = {
	channel: CollectorChannel;
	input: CollectorInput;
	/** Delivers a message as if the screen had sent it (SIGUSR1 asks for the report). */
	inject(message: ToCollector): void;
	/** Resolves once every message sent has been handed to the channel. */
	flushed(): Promise<void>;
};

export async function openProcessChannel(
	ipc: IpcProcess,
): Promise<ProcessChannel> {
	const early: ToCollector[] = [];
	let listener: ((message: ToCollector) => void) | undefined;
	const deliver = (message: ToCollector) => {
		if (listener) {
			listener(message);
		} else {
			early.push(message);
		}
	};

	// One listener from the first message on: the messages that follow 'start' in the same
	// read (a q pressed while this process was still loading) are emitted at once, before
	// an await after 'start' could add another, and were lost: the stop never came.
	const input = await new Promise<CollectorInput | undefined>((resolve) => {
		let started = false;
		const onDisconnect = () => {
			resolve(undefined);
		};

		ipc.on('message', (message: ToCollector) => {
			if (started) {
				deliver(message);
			} else if (message.type === 'start') {
				started = true;
				ipc.off('disconnect', onDisconnect);
				resolve(message.input);
			}
		});
		ipc.once('disconnect', onDisconnect);
	});
	if (input === undefined) {
		throw new Error('the screen process went away before it said what to run');
	}

	let sending: Promise<void> = Promise.resolve();
	const channel: CollectorChannel = {
		send(message: FromCollector) {
			if (!ipc.connected || !ipc.send) {
				return;
			}

			// The screen may be gone by the time this is written: that is the disconnect's
			// business, not an error here.
			sending = new Promise((resolve) => {
				ipc.send!(message, undefined, undefined, () => {
					resolve();
				});
			});
		},
		onMessage(next) {
			listener = next;
			for (const message of early.splice(0)) {
				next(message);
			}
		},
		onDisconnect(next) {
			if (ipc.connected) {
				ipc.once('disconnect', next);
			} else {
				next();
			}
		},
	};
	return {
		channel,
		input,
		inject: deliver,
		flushed: async () => sending,
	};
}
