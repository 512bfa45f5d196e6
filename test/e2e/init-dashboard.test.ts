// What a person with a device serialwatch has never seen does: `serialwatch init --from-port`,
// then `serialwatch --config CONFIG`, in a real 80x24 terminal (tmux) on a socat pair: every
// field the device prints is charted, with no edit to the written config.
import {Buffer} from 'node:buffer';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import process from 'node:process';
import test from 'ava';
import {createVirtualPair} from '../../source/adapters/virtual-pair.js';
import {deviceProfile, parseConfig} from '../../source/core/config.js';
import {cliPath, runCli} from '../helpers/cli.js';
import {escapeRegExp} from '../helpers/escape-regexp.js';
import {requireSocat} from '../helpers/socat.js';
import {startSteadyDevice} from '../helpers/steady-device.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {openTerminal, requireTmux} from '../helpers/tmux.js';

// The DHT library's example sketch: five numbers, two of them °F twins, in fixed text.
function dhtLine(index: number): string {
	const celsius = 22 + 3 * Math.sin(index / 30);
	const humidity = 45 + 5 * Math.cos(index / 40);
	const heat = celsius - 0.5;
	const f = (c: number) => (c * 1.8 + 32).toFixed(2);
	const text = `Humidity: ${humidity.toFixed(2)}%  Temperature: ${celsius.toFixed(2)}°C ${f(celsius)}°F  Heat index: ${heat.toFixed(2)}°C ${f(heat)}°F\n`;
	// The steady device sends latin1 text: the UTF-8 bytes of ° as two such characters.
	return Buffer.from(text, 'utf8').toString('latin1');
}

test('init --from-port, then the dashboard with the written config at 80x24: every field charted, no parse error, q quits', async (t) => {
	if (!requireTmux(t) || !requireSocat(t)) {
		return;
	}

	t.timeout(180_000);
	const dir = temporaryDirectory(t, 'init-dashboard');
	const device = join(dir, 'device-tty');
	const monitorSide = join(dir, 'monitor-tty');
	const pair = await createVirtualPair(device, monitorSide);
	t.teardown(async () => pair.close());
	const sender = startSteadyDevice(device, 10, dhtLine);
	t.teardown(() => {
		sender.stop();
	});
	const config = join(dir, 'config.yaml');
	const init = await runCli([
		'init',
		config,
		'--from-port',
		monitorSide,
		'--seconds',
		'5',
		'--baud',
		'9600',
	]);
	t.is(init.code, 0, `${init.stderr}`);
	t.log(init.stdout);
	const {fields} = deviceProfile(
		parseConfig(readFileSync(config, 'utf8'), config),
	);
	t.deepEqual(
		fields.map((field) => field.name),
		['humidity', 'temperature', 'temperature_f', 'heat_index', 'heat_index_f'],
	);

	const terminal = openTerminal(
		t,
		`${process.execPath} ${cliPath} --config ${config}`,
		{columns: 80, rows: 24, cwd: dir},
	);
	// Each field's row: its label, its last value with its unit, and its sparkline.
	const rows = fields.map((field) => {
		const unit = field.type === 'number' ? escapeRegExp(field.unit) : '';
		return new RegExp(
			String.raw`^[ ▸]${escapeRegExp(field.label)} +-?[\d.]+${unit} [▁▂▃▄▅▆▇█]{20,}`,
			'm',
		);
	});
	const screen = await terminal.waitForScreen(
		new RegExp(
			[
				String.raw`● connected[^]*parse errors 0 `,
				...rows.map((row) => row.source),
			]
				.map((part) => `(?=[^]*${part.replace(/^\^/, String.raw`(?:^|\n)`)})`)
				.join(''),
		),
		120_000,
	);
	t.log(screen);
	for (const [index, row] of rows.entries()) {
		t.regex(screen, row, `${fields[index]!.label}: its row and sparkline`);
	}

	t.regex(screen, /parse errors 0 /);
	terminal.sendKeys('q');
	t.is(await terminal.waitForExit(), 0, `${terminal.screen()}`);
});
