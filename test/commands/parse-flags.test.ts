import test from 'ava';
import type {FlagSpecs} from '../../source/commands/command-spec.js';
import {
	parseFlags,
	UnknownFlagError,
} from '../../source/commands/parse-flags.js';
import {UsageError} from '../../source/commands/usage-error.js';
import {readJson} from '../helpers/json.js';

const specs = {
	port: {type: 'string', value: 'PATH', description: 'port'},
	report: {type: 'string', value: 'FILE', description: 'report'},
	baud: {
		type: 'number',
		value: 'N',
		description: 'baud',
		valid: (n) => Number.isInteger(n) && n > 0,
		expected: 'a whole number above 0',
	},
	demo: {type: 'boolean', description: 'demo'},
	wait: {type: 'boolean', default: true, description: 'wait'},
} as const satisfies FlagSpecs;

const run = (args: string[]) => {
	const parsed = parseFlags(specs, args);
	if (parsed.kind !== 'run') {
		throw new Error(`expected a run, got ${parsed.kind}`);
	}

	return parsed;
};

test('values by type, defaults for what is not given, positionals as input', (t) => {
	t.deepEqual(run(['--port', '/dev/x', 'a.csv', '--baud=9600', '--demo']), {
		kind: 'run',
		input: ['a.csv'],
		values: {
			port: '/dev/x',
			report: undefined,
			baud: 9600,
			demo: true,
			wait: true,
		},
	});
});

test('`--report -` is a value (stdout), and --no-<flag> turns a boolean off', (t) => {
	t.is(run(['--report', '-']).values['report'], '-');
	t.false(run(['--no-wait']).values['wait']);
	t.true(run(['--wait']).values['wait']);
	t.true(run([]).values['wait']);
});

test('--help and -h win over anything wrong', (t) => {
	t.deepEqual(parseFlags(specs, ['--baud', 'x', '--help']), {kind: 'help'});
	t.deepEqual(parseFlags(specs, ['--nope', '-h']), {kind: 'help'});
	t.deepEqual(parseFlags(specs, ['--no-such', '-xh']), {kind: 'help'});
});

test('bad values name the flag and quote what was typed', (t) => {
	const cases: Array<[string[], string]> = [
		[['--baud', '-5'], "--baud needs a whole number above 0, got '-5'"],
		[['--baud=fast'], "--baud needs a whole number above 0, got 'fast'"],
		[['--baud', ' '], "--baud needs a whole number above 0, got ' '"],
		[['--port'], '--port needs a value'],
		[['--port='], '--port needs a value'],
		[['--port', '--demo'], '--port needs a value'],
		[['--demo=yes'], '--demo takes no value'],
		[['--no-wait=1'], '--no-wait takes no value'],
		[['--demo=false'], '--demo takes no value'],
		[['--baud', 'abc'], "--baud needs a whole number above 0, got 'abc'"],
		[['--baud', '9600.5'], "--baud needs a whole number above 0, got '9600.5'"],
	];
	for (const [args, message] of cases) {
		t.throws(() => parseFlags(specs, args), {instanceOf: UsageError, message});
	}
});

test('a flag no spec names is an UnknownFlagError, as typed', (t) => {
	for (const flag of ['--prot', '-x', '--no-port', '--no-such']) {
		const error = t.throws<UnknownFlagError>(() => parseFlags(specs, [flag]), {
			instanceOf: UnknownFlagError,
		});
		t.is(error.flag, flag);
	}
});

test('`--report -` keeps its dash before an argument; after `--` all are arguments', (t) => {
	t.like(run(['--report', '-', 'a.csv']), {
		input: ['a.csv'],
		values: {report: '-'},
	});
	t.like(run(['a.csv', '--report=-']), {
		input: ['a.csv'],
		values: {report: '-'},
	});
	t.like(run(['--port', '-']), {input: [], values: {port: '-'}});
	t.like(run(['--', '--prot', '-x']), {input: ['--prot', '-x']});
});

test('a flag given twice is bad usage; a negative number is a value, not a flag', (t) => {
	t.throws(() => parseFlags(specs, ['--port', 'a', '--port=b']), {
		instanceOf: UsageError,
		message: '--port is given more than once',
	});
	t.is(run(['--port', '-5']).values['port'], '-5');
});

test('a long name typed with one dash or another case is not that flag', (t) => {
	for (const flag of ['-port', '--Port', '-d']) {
		const error = t.throws<UnknownFlagError>(
			() => parseFlags(specs, [flag, 'x']),
			{instanceOf: UnknownFlagError},
		);
		t.is(error.flag, flag);
	}
});

test('--version answers with the version in package.json', (t) => {
	t.deepEqual(parseFlags(specs, ['--version']), {
		kind: 'version',
		version: readJson<{version: string}>('package.json').version,
	});
});
