import test from 'ava';
import {
	describeOpenError,
	monitorPortMissing,
} from '../../source/adapters/port-open-help.js';

test('names the port once, the cause, and the fix for it', (t) => {
	t.is(
		describeOpenError(
			'/dev/ttyUSB9',
			'Error: No such file or directory, cannot open /dev/ttyUSB9',
		),
		`Cannot open serial port /dev/ttyUSB9: No such file or directory.\n${monitorPortMissing}`,
	);
	t.regex(
		describeOpenError('/dev/ttyUSB9', 'Permission denied'),
		/dialout.*ls -l \/dev\/ttyUSB9/,
	);
});

test('a missing port gets the advice of the side that opens it', (t) => {
	const message = describeOpenError(
		'/tmp/device',
		'No such file or directory',
		'Create it with --pair.',
	);
	t.true(message.endsWith('\nCreate it with --pair.'));
	t.regex(
		describeOpenError('/tmp/device', 'Permission denied', 'Create it.'),
		/dialout/,
		'other causes keep their own advice',
	);
});
