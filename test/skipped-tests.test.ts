// The line `npm test` ends with when tests were set aside for a missing tool.
import {join} from 'node:path';
import process from 'node:process';
import test, {type ExecutionContext} from 'ava';
import {
	recordSkippedTest,
	skippedTestsVariable,
	summarizeSkippedTests,
} from './helpers/skipped-tests.js';
import {temporaryDirectory} from './helpers/temporary-directory.js';

/** Sets the variable for this test, as it was again at the test's end. */
function setVariable(t: ExecutionContext, value: string | undefined): void {
	const before = process.env[skippedTestsVariable];
	const set = (next: string | undefined) => {
		if (next === undefined) {
			Reflect.deleteProperty(process.env, skippedTestsVariable);
		} else {
			process.env[skippedTestsVariable] = next;
		}
	};

	set(value);
	t.teardown(() => {
		set(before);
	});
}

test.serial(
	'one line names how many tests, each missing tool and its install',
	(t) => {
		const file = join(temporaryDirectory(t, 'skipped'), 'skipped.jsonl');
		setVariable(t, file);
		t.is(summarizeSkippedTests(file), undefined, 'nothing skipped, no line');
		for (const [title, tool] of [
			['a', 'tmux'],
			['b', 'socat'],
			['c', 'tmux'],
		] as const) {
			t.true(
				recordSkippedTest({title, tool, install: `apt-get install ${tool}`}),
			);
		}

		t.is(
			summarizeSkippedTests(file),
			'skipped 3 tests: socat not found (apt-get install socat), tmux not found (apt-get install tmux)',
		);
	},
);

test.serial(
	'without a summary to come (AVA run directly), nothing is recorded',
	(t) => {
		setVariable(t, undefined);
		t.false(
			recordSkippedTest({
				title: 'a',
				tool: 'tmux',
				install: 'apt-get install tmux',
			}),
		);
	},
);
