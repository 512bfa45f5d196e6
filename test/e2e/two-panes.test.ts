// The README's two-pane setup: `serialwatch emulate --pair` in one terminal makes the
// virtual pair and plays the device; `serialwatch` in the other monitors it.
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {Buffer} from 'node:buffer';
import test from 'ava';
import {escapeRegExp} from '../helpers/escape-regexp.js';
import {defaultConfig} from '../../source/core/config.js';
import {createScenario} from '../../source/core/emulator.js';
import {startCli, stopOnTeardown} from '../helpers/cli.js';
import {requireSocat} from '../helpers/socat.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {linesOf, waitUntil} from '../helpers/wait-until.js';

test('emulate --pair links the ports, the monitor reads the device through them, the links go at exit', async (t) => {
	if (!requireSocat(t)) {
		return;
	}

	const dir = temporaryDirectory(t, 'panes');
	const device = join(dir, 'device');
	const monitorSide = join(dir, 'monitor');
	const config = join(dir, 'config.yaml');
	const rawLog = join(dir, 'data', 'raw.log');
	writeFileSync(
		config,
		`serial:\n  port: ${monitorSide}\noutput:\n  dir: ${join(dir, 'data')}\nemulator:\n  port: ${device}\n  seed: 3\n`,
	);
	const emulator = stopOnTeardown(
		t,
		startCli([
			'emulate',
			'--pair',
			'--config',
			config,
			'--scenario',
			'normal',
			'--rate',
			'40',
			'--count',
			'160',
		]),
	);
	// The hint names the config, so the monitor it starts reads the same device.
	await emulator.waitFor(
		new RegExp(
			`In another pane, run the monitor: serialwatch --config ${escapeRegExp(config)} --port /`,
		),
	);
	t.true(existsSync(device) && existsSync(monitorSide), 'both ends exist');
	const monitor = stopOnTeardown(t, startCli(['--config', config]));
	try {
		await monitor.waitFor(/listening on/);
		await waitUntil(
			() =>
				existsSync(rawLog) &&
				linesOf(readFileSync(rawLog, 'utf8')).length >= 20,
			'the monitor has 20 lines',
		);
		t.is(await emulator.exited, 0, `${emulator.stderr()}`);
		t.regex(
			emulator.stderr(),
			/sent 160 lines \(scenario normal, seed 3, 40 Hz\)/,
		);
		t.false(
			existsSync(device) || existsSync(monitorSide),
			'the pair is removed at exit',
		);
		await monitor.waitFor(/lost .*monitor/);
	} finally {
		monitor.child.kill('SIGINT');
		emulator.child.kill('SIGINT');
	}

	t.is(await monitor.exited, 0);
	// The monitor joined late, as a listener on a real line does, and the pair went with the
	// emulator: it has an unbroken run of what was sent, in order, bytes as sent.
	const sent: string[] = [];
	for (const step of createScenario(
		{name: 'normal'},
		{seed: 3, heartbeatTimeoutS: 5, thresholds: defaultConfig.thresholds},
	)) {
		if (
			step.kind === 'line' &&
			sent.push(Buffer.from(step.bytes).toString()) === 160
		) {
			break;
		}
	}

	const received = linesOf(readFileSync(rawLog, 'utf8')).map(
		(line) => line.split('\t')[1],
	);
	const start = sent.findIndex((_, index) =>
		received.every((line, offset) => sent[index + offset] === line),
	);
	t.not(start, -1, `received:\n${received.join('\n')}`);
});
