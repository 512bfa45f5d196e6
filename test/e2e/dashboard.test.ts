// The dashboard in a real terminal (tmux), driven as a person would: the README's
// `npm start`, the keys, a live edit of config.yaml, and a dropped session.
import process from 'node:process';
import {existsSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import test from 'ava';
import {cliPath} from '../helpers/cli.js';
import {readJson} from '../helpers/json.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {openTerminal, requireTmux} from '../helpers/tmux.js';
import {waitUntil} from '../helpers/wait-until.js';

const repository = fileURLToPath(new URL('../..', import.meta.url));
const bars = /[▁▂▃▄▅▆▇█]{10,}/;

test('npm start in a 100x30 terminal: sparklines, status and alerts; p pauses, r writes the report, q quits with the terminal restored', async (t) => {
	if (!requireTmux(t)) {
		return;
	}

	const dir = temporaryDirectory(t, 'tmux');
	const data = join(dir, 'data');
	const terminal = openTerminal(t, `npm start -- --out ${data}`, {
		columns: 100,
		rows: 30,
		cwd: repository,
	});
	await terminal.waitForScreen(/● demo/);
	t.true(
		terminal.alternateScreen(),
		'the dashboard takes the alternate screen',
	);
	// The demo's tour: a burst of corrupted lines within its first seconds.
	let screen = await terminal.waitForScreen(
		/│ \d\d:\d\d:\d\d │ WARN +│ PARSE_ERROR_RATE/,
	);
	screen = await terminal.waitForScreen(
		/Temperature min [\d.]+ max [\d.]+ last/,
	);
	t.regex(screen, /^T [\d.]+°C V [\d.]+V status [A-Z_]+ · last line/m);
	t.regex(screen, /^Voltage min/m);
	// At 30 lines each chart is three rows tall; its bottom row, by the scale's low end, has a bar for every point.
	t.is(
		screen.match(new RegExp(String.raw`^ *[\d.]+ ┤${bars.source}`, 'gm'))
			?.length,
		2,
		'two charts',
	);
	t.regex(
		screen,
		/lines \d+ · [\d.]+\/s · parse errors \d+ · config config\.yaml valid/,
	);
	t.regex(screen, /p pause · r report · c clear resolved/);

	terminal.sendKeys('p');
	screen = await terminal.waitForScreen(/PAUSED \+[1-9]\d* readings/);
	const frozen = /^T .*$/m.exec(screen)![0].replace(/last line .*/, '');
	await terminal.waitForScreen(
		/PAUSED \+[2-9]\d* readings|PAUSED \+\d{2,} readings/,
	);
	t.true(terminal.screen().includes(frozen), 'the reading stays as it was');

	const report = join(data, 'anomaly_report.json');
	t.false(existsSync(report));
	terminal.sendKeys('r');
	await terminal.waitForScreen(/report written to .*anomaly_report\.json/);
	const written = readJson<Array<{type: string}>>(report);
	t.true(written.some((entry) => entry.type === 'PARSE_ERROR_RATE'));

	terminal.sendKeys('q');
	screen = await terminal.waitForScreen(/EXIT=\d+/);
	t.regex(screen, /EXIT=0/);
	t.regex(
		screen,
		/serialwatch: \d+ lines \(\d+ valid, \d+ malformed\) from the demo device/,
	);
	t.notRegex(
		screen,
		/p pause · r report/,
		'the dashboard is gone from the screen',
	);
	t.false(
		terminal.alternateScreen(),
		'the terminal is back on its normal screen',
	);
	t.true(readFileSync(join(data, 'raw.log'), 'utf8').length > 0);
});

const configText = (maxC: number | string) => `serial:
  port: /dev/null
output:
  dir: ./unused
thresholds:
  temperature:
    max_c: ${maxC}
    warn_c: 70
`;

test('80x24: editing config.yaml retunes the running dashboard, an invalid edit is refused with its line, a dropped session stops cleanly', async (t) => {
	if (!requireTmux(t)) {
		return;
	}

	const dir = temporaryDirectory(t, 'retune');
	const config = join(dir, 'config.yaml');
	const data = join(dir, 'data');
	writeFileSync(config, configText(80));
	const terminal = openTerminal(
		t,
		`${process.execPath} ${cliPath} --demo --config ${config} --out ${data}`,
		{columns: 80, rows: 24, cwd: dir},
	);
	await terminal.waitForScreen(/warn >70\.0 max >80\.0/);

	// As vim saves: a new file renamed over the old one.
	writeFileSync(`${config}.tmp`, configText(75));
	renameSync(`${config}.tmp`, config);
	let screen = await terminal.waitForScreen(
		/config applied: temperature\.max_c 80 -> 75/,
	);
	t.regex(screen, /warn >70\.0 max >75\.0/);

	writeFileSync(config, configText('hot'));
	screen = await terminal.waitForScreen(/INVALID/);
	t.regex(screen, /config\.yaml:7:\d+/, 'the error names the line');
	t.regex(screen, /max >75\.0/, 'the last valid thresholds keep running');

	writeFileSync(config, configText(78));
	screen = await terminal.waitForScreen(/max_c 75 -> 78/);
	t.regex(screen, /config\.yaml valid/);

	// The SSH session drops: the terminal goes, the process gets SIGHUP.
	terminal.kill();
	const report = join(data, 'anomaly_report.json');
	await waitUntil(
		() => existsSync(report) && !existsSync(join(data, '.serialwatch.lock')),
		'the final report is written and the run ends',
	);
	t.true(Array.isArray(readJson(report)));
	t.true(readFileSync(join(data, 'raw.log'), 'utf8').length > 0);
});

test('colours by level, and none at all with NO_COLOR', async (t) => {
	if (!requireTmux(t)) {
		return;
	}

	const dir = temporaryDirectory(t, 'color');
	const command = (env: string, out: string) =>
		`${env} ${process.execPath} ${cliPath} --demo --out ${join(dir, out)}`;
	const colored = openTerminal(t, command('', 'a'), {columns: 100, rows: 30});
	const plain = openTerminal(t, command('NO_COLOR=1', 'b'), {
		columns: 100,
		rows: 30,
	});
	// SGR colour codes: 30-37 and 90-97 (foreground), 38;5/38;2 (256 and true colour).
	// eslint-disable-next-line no-control-regex -- escapes are what this looks for
	const colour = /\u001B\[(?:[\d;]*;)?(?:3[0-7]|9[0-7]|38;[25])[;m]/;
	await colored.waitForScreen(/PARSE_ERROR_RATE/);
	await plain.waitForScreen(/PARSE_ERROR_RATE/);
	t.regex(colored.styledScreen(), colour);
	t.notRegex(plain.styledScreen(), colour);
	t.regex(plain.screen(), /FIRING/);
});
