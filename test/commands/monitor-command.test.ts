import test from 'ava';
import {monitorOverrides} from '../../source/commands/monitor-command.js';
import {
	applyMonitorOverrides,
	overriddenKeys,
} from '../../source/core/config-overrides.js';
import {defaultConfig} from '../../source/core/config.js';

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
	metrics: undefined,
};

test('--no-wait overrides serial.wait_for_port; without it the config decides', (t) => {
	t.false(monitorOverrides({...flags, wait: false}).waitForPort);
	t.false('waitForPort' in monitorOverrides(flags));
	t.is(monitorOverrides(flags).port, '/dev/ttyUSB0');
});

test('--metrics sets exporters.prometheus.listen, and holds it against live edits', (t) => {
	const overrides = monitorOverrides({...flags, metrics: '127.0.0.1:9464'});
	t.is(
		applyMonitorOverrides(defaultConfig, overrides).exporters.prometheus.listen,
		'127.0.0.1:9464',
	);
	t.is(
		overriddenKeys(overrides).get('exporters.prometheus.listen'),
		'--metrics',
	);
	t.is(
		applyMonitorOverrides(defaultConfig, monitorOverrides(flags)).exporters
			.prometheus.listen,
		null,
	);
});
