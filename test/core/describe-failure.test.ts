import test from 'ava';
import {ConfigError} from '../../source/core/config.js';
import {describeFailure} from '../../source/core/describe-failure.js';
import {InputError} from '../../source/core/input-error.js';
import {RunFailure} from '../../source/core/run-failure.js';
import {UsageError} from '../../source/core/usage-error.js';
import {OutputError} from '../../source/adapters/output-error.js';
import {PortOpenError} from '../../source/adapters/serial-source.js';
import {IntegrationError} from '../../source/app/integration-error.js';

test('bad usage and bad input exit 2, with the input named', (t) => {
	t.deepEqual(describeFailure(new UsageError('unknown flag --x')), {
		exitCode: 2,
		message: 'unknown flag --x',
	});
	t.deepEqual(describeFailure(new ConfigError(['a.yaml:1:1: x: bad'])), {
		exitCode: 2,
		message: 'bad config:\na.yaml:1:1: x: bad',
	});
	t.deepEqual(
		describeFailure(new InputError('alert sink setting', ['not set'])),
		{exitCode: 2, message: 'bad alert sink setting:\nnot set'},
	);
});

test('a failure of the run exits 1 with its message alone, whatever layer threw it', (t) => {
	for (const error of [
		new RunFailure('cannot list ports'),
		new OutputError('cannot write raw.log'),
		new IntegrationError('address in use'),
		new PortOpenError('/dev/ttyX', 'Permission denied'),
	]) {
		const answer = describeFailure(error);
		t.is(answer.exitCode, 1);
		t.is(answer.message, error.message);
		t.notRegex(answer.message, /\n\s+at /);
	}
});

test('anything else is a bug: exit 1 with its stack', (t) => {
	const bug = new TypeError('x is undefined');
	t.deepEqual(describeFailure(bug), {exitCode: 1, message: bug.stack!});
	t.deepEqual(describeFailure('thrown text'), {
		exitCode: 1,
		message: 'thrown text',
	});
});
