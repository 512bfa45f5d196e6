import test from 'ava';
import {ConfigError, parseConfig} from '../../source/core/config.js';

const problemsOf = (text: string): string[] => {
	try {
		parseConfig(text, 'config.yaml');
	} catch (error) {
		if (error instanceof ConfigError) {
			return error.problems;
		}

		throw error;
	}

	return [];
};

const unknownKeys = (count: number) =>
	`serial:\n${Array.from({length: count}, (_, index) => `  k${index}: 1\n`).join('')}`;

test('thousands of unknown keys: validated in linear time, the first 20 shown and the rest counted', (t) => {
	const timed = (count: number) => {
		const start = performance.now();
		const problems = problemsOf(unknownKeys(count));
		return {problems, ms: performance.now() - start};
	};

	const large = timed(20_000);
	t.is(large.problems.length, 21);
	t.is(large.problems[0], 'config.yaml:2:3: serial.k0: unknown key');
	t.is(large.problems[19], 'config.yaml:21:3: serial.k19: unknown key');
	t.is(large.problems[20], '... and 19980 more problems');
	// Ten times the keys: about ten times the time when linear, a hundred when quadratic
	// (20,000 keys took 6 s, 100,000 took 231 s). Only the ratio is judged, of the fastest
	// of runs taken in turns, so that a machine busy with other work slows both sizes alike.
	const fastest = {small: Infinity, large: Infinity};
	for (let run = 0; run < 3; run++) {
		fastest.small = Math.min(fastest.small, timed(2000).ms);
		fastest.large = Math.min(fastest.large, timed(20_000).ms);
	}

	t.true(
		fastest.large < Math.max(fastest.small, 50) * 40,
		`${fastest.small} ms, then ${fastest.large} ms`,
	);
});

test('an alias bomb is refused at the line of the alias that expands too often', (t) => {
	const bomb = [
		'a: &a [x, x, x, x, x, x, x, x, x, x]',
		'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
		'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
		'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
	].join('\n');
	t.deepEqual(problemsOf(bomb), [
		'config.yaml:3:20: alias *b expands too often (more than 50 expansions in all): refused as a YAML alias bomb',
	]);
	t.deepEqual(problemsOf(`a: [&x 1${', *x'.repeat(60)}]\n`), [
		'config.yaml:1:207: alias *x expands too often (more than 50 expansions in all): refused as a YAML alias bomb',
	]);
});

test('a duplicate key is refused at its second occurrence', (t) => {
	t.deepEqual(problemsOf('serial:\n  port: /dev/a\n  port: /dev/b\n'), [
		'config.yaml:3:3: duplicate key "port": a key may appear once in a mapping',
	]);
});

test('__proto__ is an unknown key like any other, never a way around the schema', (t) => {
	t.deepEqual(problemsOf('serial:\n  __proto__:\n    port: /dev/evil\n'), [
		'config.yaml:2:3: serial.__proto__: unknown key',
	]);
	t.deepEqual(problemsOf('__proto__:\n  serial: 1\n'), [
		'config.yaml:1:1: __proto__: unknown key',
	]);
});

test("thousands of unknown incident types in a sink's rules: each costs what an unknown key does, the first 20 with their suggestion", (t) => {
	const types = (count: number) =>
		`alerts:\n  sinks:\n    - {type: slack, url_env: X, rules: [${Array.from({length: count}, (_, index) => `HEARTBEAT_LOS${'S'.repeat(index % 30)}X`).join(', ')}]}\n`;
	const timed = (text: string) => {
		const start = performance.now();
		const problems = problemsOf(text);
		return {problems, ms: performance.now() - start};
	};

	const {problems} = timed(types(5000));
	t.is(problems.length, 21);
	t.regex(
		problems[0]!,
		/^config\.yaml:3:41: alerts\.sinks\[0]\.rules\[0]: "HEARTBEAT_LOSX" is no incident type of this device \(did you mean HEARTBEAT_LOSS\?\); its types: THRESHOLD_BREACH_TEMP, /,
	);
	t.is(problems[20], '... and 4980 more problems');
	// Each unknown type was given a suggestion (an edit distance to every type) and the
	// list of types: twelve times what an unknown key costs. Only the ratio is judged, of
	// the fastest of runs taken in turns, so that a busy machine slows both alike.
	const fastest = {keys: Infinity, types: Infinity};
	for (let run = 0; run < 3; run++) {
		fastest.keys = Math.min(fastest.keys, timed(unknownKeys(5000)).ms);
		fastest.types = Math.min(fastest.types, timed(types(5000)).ms);
	}

	t.true(
		fastest.types < 4 * fastest.keys,
		`5,000 unknown types took ${Math.round(fastest.types)} ms, 5,000 unknown keys ${Math.round(fastest.keys)} ms`,
	);
});
