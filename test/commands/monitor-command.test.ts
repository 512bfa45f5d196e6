import test from 'ava';
import {monitorOverrides} from '../../source/commands/monitor-command.js';

const flags = {
	config: undefined,
	port: '/dev/ttyUSB0',
	baud: undefined,
	out: undefined,
	demo: false,
	headless: true,
	duration: undefined,
	wait: true,
	scenario: undefined,
	rate: undefined,
	seed: undefined,
};

test('--no-wait overrides serial.wait_for_port; without it the config decides', (t) => {
	t.false(monitorOverrides({...flags, wait: false}).waitForPort);
	t.false('waitForPort' in monitorOverrides(flags));
	t.is(monitorOverrides(flags).port, '/dev/ttyUSB0');
});
