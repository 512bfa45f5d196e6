import test from 'ava';
import {defaultConfig} from '../../source/core/config.js';
import {startedAt} from '../helpers/monitor-snapshot.js';
import {formatClock, zoneLabel} from '../../source/ui/format.js';
import {
	breachAndBack,
	normal,
	renderDashboard,
} from '../helpers/render-dashboard.js';

test('the header shows the time of day in UTC, named, as the files and the table have it', (t) => {
	const {screen} = renderDashboard(t, breachAndBack);
	t.is(
		screen()[0],
		'serialwatch demo device (mixed, in-process) ● demo up 00:00:04 · 10:00:04 UTC',
	);
	t.true(screen().some((line) => line.startsWith('│ 10:00:04 │ CRIT │')));
});

test('with ui.timezone local, the header names the offset and the table follows', (t) => {
	const config = {
		...defaultConfig,
		ui: {...defaultConfig.ui, timezone: 'local' as const},
	};
	const {screen, time} = renderDashboard(t, breachAndBack, {config});
	const clock = `${formatClock(time, 'local')} ${zoneLabel(time, 'local')}`;
	t.true(screen()[0]!.endsWith(`· ${clock}`));
	t.true(
		screen().some((line) =>
			line.startsWith(`│ ${formatClock(startedAt + 4100, 'local')} │`),
		),
	);
});

test('with no config file, the header says the built-in defaults are in use', (t) => {
	const {screen} = renderDashboard(t, breachAndBack, {
		configSource: 'defaults',
	});
	t.is(
		screen()[1],
		'lines 47 · 9.8/s · parse errors 0 · built-in defaults (no config.yaml)',
	);
});

test('waiting for a port: which, how long, and where to look, fitted to the width', async (t) => {
	const {screen, state, publish, resize} = renderDashboard(t, [], {
		demo: false,
	});
	state.onStatus({state: 'waiting', path: '/dev/ttyUSB0'}, startedAt);
	await publish(startedAt + 72_000);
	await resize(80, 24);
	t.deepEqual(screen().slice(0, 3), [
		'serialwatch ○ waiting 1m12s for /dev/ttyUSB0 (not present; serialwatch ports)',
		'lines 0 · 0.0/s · parse errors 0 · config config.yaml valid',
		'waiting for the first reading · no line yet (port not open)',
	]);
	await resize(100, 30);
	t.is(
		screen()[0],
		'serialwatch ○ waiting 1m12s for /dev/ttyUSB0 (not present; serialwatch ports) · 10:01:12 UTC',
	);
	await resize(200, 50);
	t.is(
		screen()[0],
		'serialwatch ○ waiting 1m12s for /dev/ttyUSB0 (not present; serialwatch ports lists the ports) · 10:01:12 UTC',
	);
	// A long path keeps its end, and the hint its first words.
	state.onStatus(
		{
			state: 'waiting',
			path: '/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0',
		},
		startedAt + 70_000,
	);
	await resize(80, 24);
	await publish(startedAt + 73_000);
	t.is(
		screen()[0],
		'serialwatch ○ waiting 3.0s for …232R_USB_UART_A50285BI-if00-port0 (not present)',
	);
});

test('before the first line the heartbeat says how long the port has been open, not SILENT', async (t) => {
	const {screen, state, publish} = renderDashboard(t, [], {demo: false});
	state.onStatus({state: 'open', path: '/dev/ttyUSB0'}, startedAt + 80_000);
	await publish(startedAt + 92_000);
	t.is(
		screen()[2],
		'waiting for the first reading · no line yet (port open 12s)',
	);
	t.is(
		screen()[0],
		'serialwatch /tmp/serialwatch-monitor @ 115200 baud ● connected up 00:01:32 · 10:01:32 UTC',
	);
});

test('after the first line, a silence past the timeout is SILENT as before', async (t) => {
	const {screen, publish, time} = renderDashboard(t, [normal(40)], {
		demo: false,
	});
	await publish(time + 6000);
	t.regex(screen()[2]!, /last line 6\.0s ago SILENT$/);
});

test('integrations that are on get a line under the header: each by name, a failing one with its reason', async (t) => {
	const {screen, state, publish} = renderDashboard(t, breachAndBack);
	t.false(screen().some((line) => line.startsWith('out ')));
	state.refreshIntegrations([
		{name: 'prometheus 127.0.0.1:9464', ok: true, detail: ''},
		{name: 'pagerduty', ok: true, detail: '3 sent'},
		{name: 'slack', ok: false, detail: 'HTTP 500, retrying in 4 s; 2 dropped'},
	]);
	await publish(startedAt + 5000);
	t.is(
		screen()[2],
		'out ✓ prometheus 127.0.0.1:9464 · ✓ pagerduty 3 sent · ✗ slack HTTP 500, retrying in 4 s; 2 dropped',
	);
});
