import {Buffer} from 'node:buffer';
import {join} from 'node:path';
import test from 'ava';
import {openRawLog} from '../../source/adapters/raw-log.js';
import {createCatchUpGate} from '../../source/app/catch-up-gate.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';

const bytes = (text: string) => Buffer.from(text);

/** A raw.log with two lines of history, and a gate before a pipeline that writes down what it is told. */
function setUp(t: Parameters<typeof temporaryDirectory>[0]) {
	const rawPath = join(temporaryDirectory(t, 'gate'), 'raw.log');
	const history = openRawLog(rawPath);
	history.append(Date.parse('2020-01-01T00:00:00.000Z'), [
		bytes('T:1,V:5,S:NORMAL'),
		bytes('T:2,V:5,S:NORMAL'),
	]);
	history.close();
	const raw = openRawLog(rawPath);
	t.teardown(() => {
		raw.close();
	});
	const told: string[] = [];
	let onProcess = () => undefined as void;
	const gate = createCatchUpGate({
		rawPath,
		raw,
		pipeline: {
			process(time, firstLine, lines) {
				told.push(
					`${time} ${firstLine}: ${lines.map((line) => Buffer.from(line).toString()).join(' ')}`,
				);
				onProcess();
			},
		},
		detector: {
			reconnected(time) {
				told.push(`reconnected ${time}`);
			},
		},
		shut: raw.linesAtOpen > 0,
	});
	/** As the recorder does: raw.log first, then the gate. */
	const arrive = (time: number, ...texts: string[]) => {
		const lines = texts.map((text) => bytes(text));
		gate.process(time, raw.append(time, lines), lines);
	};

	return {
		raw,
		gate,
		told,
		arrive,
		whenProcessed(then: () => void) {
			onProcess = then;
		},
	};
}

test('lines that arrive while the gate is shut reach the pipeline at its release, from raw.log, in order, with their times and numbers; each opening of the port in its place', async (t) => {
	const {gate, told, arrive, whenProcessed} = setUp(t);
	gate.reconnected(1000);
	arrive(1001, 'a', 'b');
	// Two chunks of one millisecond: read back as one batch, split where the port reopened.
	arrive(1002, 'c');
	gate.reconnected(1002);
	arrive(1002, 'd');
	t.deepEqual(told, [], 'nothing passes while it is shut');

	// A line that arrives while raw.log is read back is read back too, after the others.
	let once = true;
	whenProcessed(() => {
		if (once) {
			once = false;
			arrive(1003, 'e');
		}
	});
	t.true(await gate.release(new AbortController().signal));
	whenProcessed(() => undefined);
	gate.reconnected(1004);
	arrive(1005, 'f');
	t.deepEqual(told, [
		'reconnected 1000',
		'1001 3: a b',
		'1002 5: c',
		'reconnected 1002',
		'1002 6: d',
		'1003 7: e',
		'reconnected 1004',
		'1005 8: f',
	]);
});

test('an opening after the last line held is told at the release, before the lines that follow', async (t) => {
	const {gate, told, arrive} = setUp(t);
	arrive(1001, 'a');
	gate.reconnected(1002);
	t.true(await gate.release(new AbortController().signal));
	arrive(1003, 'b');
	t.deepEqual(told, ['1001 3: a', 'reconnected 1002', '1003 4: b']);
});

test('a release stopped by its signal stays shut: the lines stay in raw.log only', async (t) => {
	const {gate, told, arrive, raw} = setUp(t);
	arrive(1001, 'a');
	t.false(await gate.release(AbortSignal.abort()));
	arrive(1002, 'b');
	t.deepEqual(told, []);
	t.is(raw.lines, 4);
});
