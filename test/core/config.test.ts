import {readFileSync} from 'node:fs';
import test from 'ava';
import {
	ConfigError,
	defaultConfig,
	parseConfig,
	parseConfigWithWarnings,
} from '../../source/core/config.js';

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

test('the committed config.yaml is valid and says exactly the built-in defaults', (t) => {
	const text = readFileSync(
		new URL('../../config.yaml', import.meta.url),
		'utf8',
	);
	t.deepEqual(parseConfig(text, 'config.yaml'), defaultConfig);
});

test('an empty file and partial sections take the defaults', (t) => {
	t.deepEqual(parseConfig('', 'c.yaml'), defaultConfig);
	const config = parseConfig(
		'thresholds:\n  temperature:\n    max_c: 90\n',
		'c.yaml',
	);
	t.is(config.thresholds.temperature.max_c, 90);
	t.is(config.thresholds.temperature.warn_c, 70);
	t.is(config.serial.baud_rate, 115_200);
});

test('an unknown key is named with its line and column', (t) => {
	t.deepEqual(problemsOf('serial:\n  baud_rate: 9600\n  buad: 1\n'), [
		'config.yaml:3:3: serial.buad: unknown key',
	]);
	t.deepEqual(problemsOf('colour: red\n'), [
		'config.yaml:1:1: colour: unknown key',
	]);
});

test('a wrong type names the key, the line, what was expected and what was found', (t) => {
	t.deepEqual(problemsOf('thresholds:\n  temperature:\n    max_c: hot\n'), [
		'config.yaml:3:12: thresholds.temperature.max_c: expected a number, got "hot"',
	]);
});

test('impossible values are errors on the right key', (t) => {
	t.deepEqual(
		problemsOf('thresholds:\n  voltage:\n    min_v: 6\n    max_v: 5\n'),
		[
			'config.yaml:3:12: thresholds.voltage.min_v: must be below thresholds.voltage.max_v (5)',
		],
	);
	const [negative] = problemsOf('thresholds:\n  heartbeat_timeout_s: -1\n');
	t.is(
		negative,
		'config.yaml:2:24: thresholds.heartbeat_timeout_s: must be above 0, got -1',
	);
});

const off = 'the warning band is off (set warn_c below max_c, or null)';

test('warn_c at or above max_c is valid, with a warning placed at the key the file sets', (t) => {
	const lowered = parseConfigWithWarnings(
		'thresholds:\n  temperature:\n    max_c: 60\n',
		'config.yaml',
	);
	t.is(lowered.config.thresholds.temperature.max_c, 60);
	t.deepEqual(lowered.warnings, [
		`config.yaml:3:12: thresholds.temperature.max_c: 60 is not above thresholds.temperature.warn_c (70, its default): ${off}`,
	]);
	t.deepEqual(
		parseConfigWithWarnings(
			'thresholds:\n  temperature:\n    warn_c: 80\n',
			'config.yaml',
		).warnings,
		[
			`config.yaml:3:13: thresholds.temperature.warn_c: 80 is not below thresholds.temperature.max_c (80): ${off}`,
		],
	);
	t.is(
		parseConfig('thresholds:\n  temperature:\n    warn_c: 85\n', 'c.yaml')
			.thresholds.temperature.warn_c,
		85,
	);
});

test('no warning for a warning band, or for none asked with warn_c null', (t) => {
	for (const text of [
		'',
		'thresholds:\n  temperature:\n    max_c: 60\n    warn_c: null\n',
		'thresholds:\n  temperature:\n    max_c: 60\n    warn_c: 0\n',
	]) {
		t.deepEqual(
			parseConfigWithWarnings(text, 'c.yaml').warnings,
			[],
			`for ${JSON.stringify(text)}`,
		);
	}
});

test('every problem is reported, not only the first', (t) => {
	t.is(
		problemsOf('serial:\n  baud_rate: fast\n  port: 3\nui:\n  max_fps: 0\n')
			.length,
		3,
	);
});

test('YAML syntax errors give the position', (t) => {
	const [problem] = problemsOf('serial:\n  port: [unclosed\n');
	t.regex(problem!, /^config\.yaml:\d+:\d+: YAML syntax: /);
});

test('alias bombs are refused, plain aliases allowed', (t) => {
	const bomb = [
		'a: &a [x, x, x, x, x, x, x, x, x, x]',
		'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
		'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
		'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
	].join('\n');
	const [problem] = problemsOf(bomb);
	t.regex(problem!, /alias/i);
	const config = parseConfig(
		'thresholds:\n  voltage:\n    for_s: &wait 3\n  temperature:\n    for_s: *wait\n',
		'c.yaml',
	);
	t.is(config.thresholds.temperature.for_s, 3);
});

test('a top level that is not a mapping is refused', (t) => {
	t.deepEqual(problemsOf('- 1\n- 2\n'), [
		'config.yaml: the top level must be a mapping of sections',
	]);
});

test('two output files may not share a name', (t) => {
	t.deepEqual(
		problemsOf('output:\n  raw_log: same.log\n  parser_errors_log: same.log\n'),
		[
			'config.yaml:3:22: output.parser_errors_log: must differ from output.raw_log (both are same.log)',
		],
	);
});
