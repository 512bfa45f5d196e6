import process from 'node:process';
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
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

test('a reader blocked for good: the lines dropped are let go, so what the queue holds stays at `capacity` lines however many are written', (t) => {
	setFlagsFromString('--expose-gc');
	const gc: unknown = runInNewContext('gc');
	const collectGarbage = () => {
		if (typeof gc !== 'function') {
			throw new TypeError('no gc() to measure the heap with');
		}

		Reflect.apply(gc, undefined, []);
	};

	const {sink} = fakeSink(1);
	const queue = createLineQueue(sink, {capacity: 100});
	collectGarbage();
	const before = process.memoryUsage().heapUsed;
	// 200,000 distinct lines of 1 KB: 200 MB if the dropped ones were still held.
	for (let index = 0; index < 200_000; index++) {
		queue.write(`${String(index).padEnd(1000, '.')}\n`);
	}

	collectGarbage();
	const grownMb = (process.memoryUsage().heapUsed - before) / 1024 / 1024;
	t.is(queue.waiting, 100);
	t.is(queue.dropped, 200_000 - 101);
	t.true(grownMb < 20, `the heap grew ${grownMb.toFixed(0)} MB`);
});
