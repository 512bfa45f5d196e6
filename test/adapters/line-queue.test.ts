import test from 'ava';
import {createLineQueue} from '../../source/adapters/line-queue.js';

/** A stream that takes `room` lines, then wants a drain. */
function fakeSink(room: number) {
	const written: string[] = [];
	let drain: (() => void) | undefined;
	let free = room;
	return {
		written,
		sink: {
			write(text: string) {
				written.push(text);
				free--;
				return free > 0;
			},
			onceDrained(listener: () => void) {
				drain = listener;
			},
		},
		/** The reader takes everything written so far. */
		read(moreRoom: number) {
			free = moreRoom;
			const listener = drain;
			drain = undefined;
			listener?.();
		},
	};
}

test('a reader that keeps up gets every line, in order', (t) => {
	const {sink, written} = fakeSink(Number.POSITIVE_INFINITY);
	const queue = createLineQueue(sink, {capacity: 2});
	for (const line of ['a\n', 'b\n', 'c\n']) queue.write(line);
	t.deepEqual(written, ['a\n', 'b\n', 'c\n']);
	t.is(queue.dropped, 0);
	t.is(queue.waiting, 0);
});

test('a reader that stopped: at most `capacity` lines wait, the oldest are dropped and counted; it says when drops begin and when the reader is back', (t) => {
	const {sink, written, read} = fakeSink(1);
	const said: string[] = [];
	const queue = createLineQueue(sink, {
		capacity: 3,
		onDropping() {
			said.push('dropping');
		},
		onCaughtUp(dropped) {
			said.push(`caught up, ${dropped} dropped`);
		},
	});
	for (let index = 0; index < 10; index++) queue.write(`${index}\n`);
	t.deepEqual(written, ['0\n']);
	t.is(queue.waiting, 3);
	t.is(queue.dropped, 6);
	t.deepEqual(said, ['dropping']);
	read(Number.POSITIVE_INFINITY);
	t.deepEqual(written, ['0\n', '7\n', '8\n', '9\n']);
	t.is(queue.waiting, 0);
	t.deepEqual(said, ['dropping', 'caught up, 6 dropped']);
	t.is(queue.written, 10);
});

test('settle: resolves once the reader has taken everything, or after the timeout with what still waits', async (t) => {
	const {sink, read} = fakeSink(1);
	const queue = createLineQueue(sink, {capacity: 10});
	queue.write('a\n');
	queue.write('b\n');
	t.is(await queue.settle(20), 1);
	const settled = queue.settle(5000);
	read(Number.POSITIVE_INFINITY);
	t.is(await settled, 0);
});
