// kill -9 of the headless monitor while a prediction holds, then a restart on the same
// output: the prediction's incident goes on from the checkpoint (one incident, not two), and
// the device's silence since the kill resolves it, as a silence restarts the trend's window.
import {join} from 'node:path';
import test from 'ava';
import {createVirtualPair} from '../../source/adapters/virtual-pair.js';
import {startCli, stopOnTeardown} from '../helpers/cli.js';
import {tourLimitMs} from '../helpers/example-tour.js';
import {readJson} from '../helpers/json.js';
import {kilnWorkspace} from '../helpers/predict-device.js';
import {requireSocat} from '../helpers/socat.js';

const type = 'PREDICTED_BREACH_TEMPERATURE';

type Entry = {type: string; id: string; first_line: number; end: string | null};

test('kill -9 mid-prediction and a restart: the same incident goes on from the checkpoint and resolves at the silence; no duplicate', async (t) => {
	t.timeout(tourLimitMs + 60_000);
	if (!requireSocat(t)) {
		return;
	}

	const workspace = kilnWorkspace(t, 'predict-resume');
	const pair = await createVirtualPair(workspace.device, workspace.monitorSide);
	t.teardown(async () => pair.close());
	const first = stopOnTeardown(
		t,
		startCli(['--headless', '--config', workspace.configPath]),
	);
	await first.waitFor(/listening on/);
	const emulator = stopOnTeardown(
		t,
		startCli(['emulate', '--config', workspace.configPath]),
	);
	// The second prediction is the tour's own ramp; past the first checkpoint (10 s) by then.
	await first.waitFor(
		/"fired"[^\n]*PREDICTED_BREACH_TEMPERATURE[\s\S]*"fired"[^\n]*PREDICTED_BREACH_TEMPERATURE/,
		tourLimitMs,
	);
	emulator.child.kill('SIGTERM');
	await emulator.exited;
	first.child.kill('SIGKILL');
	await first.exited;

	const second = stopOnTeardown(
		t,
		startCli([
			'--headless',
			'--config',
			workspace.configPath,
			'--duration',
			'8',
		]),
	);
	const code = await second.exited;
	t.is(code, 0);
	t.log(second.stderr());
	const events = second
		.stdout()
		.split('\n')
		.filter((line) => line.includes(type))
		.map((line) => readJson<Entry & {event: string}>(line, {text: true}));
	t.deepEqual(
		events.map((event) => event.event),
		['resolved'],
		'no second fire: the open incident is taken up, then resolved',
	);
	const report = readJson<Entry[]>(
		join(workspace.data, 'anomaly_report.json'),
	).filter((entry) => entry.type === type);
	t.is(report.length, 2, 'the walk up to the band’s, and the ramp’s');
	t.is(new Set(report.map((entry) => entry.id)).size, 2);
	t.true(report.every((entry) => entry.end !== null));
	t.is(report[1]!.id, events[0]!.id);
});
