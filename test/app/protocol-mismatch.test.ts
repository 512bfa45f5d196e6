import test from 'ava';
import {
	createMismatchWatch,
	mismatchLines,
	mismatchNotice,
} from '../../source/app/protocol-mismatch.js';

const numbered = (from: number, count: number) =>
	Array.from({length: count}, (_, index) => ({line: from + index}));

test('the notice is due at the 50th malformed line in a row, once, however the lines are batched', (t) => {
	const watch = createMismatchWatch(0);
	const due: number[] = [];
	for (let line = 1; line <= 200; line++) {
		if (watch.errors([{line}])) {
			due.push(line);
		}
	}

	t.deepEqual(due, [mismatchLines]);
	const batched = createMismatchWatch(0);
	t.false(batched.errors(numbered(1, 30)));
	t.true(batched.errors(numbered(31, 30)));
	t.false(batched.errors(numbered(61, 300)));
});

test('a reading ends the stretch: 49 bad lines, a good one, 49 bad say nothing; a later stretch of 50 is told again', (t) => {
	const watch = createMismatchWatch(0);
	t.false(watch.errors(numbered(1, 49)));
	watch.readings([{line: 50}]);
	t.false(watch.errors(numbered(51, 49)));
	t.true(watch.errors(numbered(100, 1)));
	watch.readings([{line: 101}]);
	t.true(watch.errors(numbered(102, 50)));
});

test('in one batch, the errors before its reading do not count, those after it do', (t) => {
	const watch = createMismatchWatch(0);
	t.false(watch.errors(numbered(1, 40)));
	// Lines 41..89 malformed, 90 a reading, 91..139 malformed: 49 after the reading.
	watch.readings([{line: 90}]);
	t.false(watch.errors([...numbered(41, 49), ...numbered(91, 49)]));
	t.true(watch.errors([{line: 140}]));
});

test("an earlier run's lines taken up from raw.log are not counted", (t) => {
	const watch = createMismatchWatch(1000);
	t.false(watch.errors(numbered(1, 1000)));
	t.false(watch.errors(numbered(1001, 49)));
	t.true(watch.errors([{line: 1050}]));
});

test('the notice names the port and the command', (t) => {
	t.is(
		mismatchNotice('/dev/ttyUSB0'),
		'none of the last 50 lines match the declared protocol; serialwatch init --from-port /dev/ttyUSB0 proposes one',
	);
});
