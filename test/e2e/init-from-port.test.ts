// `serialwatch init --from-port` on a real socat pair: a shipped example played by `emulate`
// on one end is declared from what it sends on the other; the config written starts the
// headless monitor as it is, readings flowing into the CSV; `emulate` of the written config,
// read back by init, declares the same fields.
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {createVirtualPair} from '../../source/adapters/virtual-pair.js';
import {
	deviceProfile,
	parseConfigWithWarnings,
	type Config,
} from '../../source/core/config.js';
import {runCli, startCli, stopOnTeardown} from '../helpers/cli.js';
import {exampleWorkspace, type ExampleName} from '../helpers/example-tour.js';
import {requireSocat} from '../helpers/socat.js';
import {linesOf, waitUntil} from '../helpers/wait-until.js';

/** What must come back: each field's key and type, and the format. */
function shape(config: Config) {
	const profile = deviceProfile(config);
	return {
		format: profile.format.type,
		fields: profile.fields
			.map((field) => ({
				key: field.key,
				type: field.type,
				unit: field.type === 'number' ? field.unit : '',
			}))
			.toSorted((a, b) => a.key.localeCompare(b.key)),
	};
}

function readWritten(t: ExecutionContext, path: string): Config {
	const {config, warnings} = parseConfigWithWarnings(
		readFileSync(path, 'utf8'),
		path,
	);
	t.deepEqual(warnings, [], 'the written config loads without a warning');
	return config;
}

/** Plays `configPath`'s device with emulate and declares it with init into `target`. */
async function initWhileEmulating(
	t: ExecutionContext,
	configPath: string,
	monitorSide: string,
	target: string,
) {
	const emulator = stopOnTeardown(
		t,
		startCli(['emulate', '--config', configPath]),
	);
	const result = await runCli([
		'init',
		target,
		'--from-port',
		monitorSide,
		'--seconds',
		'6',
	]);
	emulator.child.kill('SIGTERM');
	await emulator.exited;
	t.is(result.code, 0, result.stderr);
	return result;
}

// The units of pairs and json lines are not in the lines: the example's own do not come back.
const withoutUnits = (s: ReturnType<typeof shape>) => ({
	...s,
	fields: s.fields.map((field) => ({...field, unit: ''})),
});

for (const name of ['arduino-plotter', 'esp32-json'] as ExampleName[]) {
	test(`init --from-port on examples/${name}.yaml played by emulate: the same fields, a config that starts the monitor as it is, and a round trip that gives them again`, async (t) => {
		if (!requireSocat(t)) {
			return;
		}

		t.timeout(240_000);
		const workspace = exampleWorkspace(t, name);
		const pair = await createVirtualPair(
			workspace.device,
			workspace.monitorSide,
		);
		t.teardown(async () => pair.close());
		const target = join(workspace.dir, 'inferred.yaml');
		const first = await initWhileEmulating(
			t,
			workspace.configPath,
			workspace.monitorSide,
			target,
		);
		t.regex(first.stdout, /^field\s+type\s+unit\s+seen\s+samples$/m);
		t.regex(first.stdout, /\d+ of \d+ lines matched/);
		t.regex(first.stdout, new RegExp(`wrote ${target}`));
		const written = readWritten(t, target);
		t.is(written.serial.port, workspace.monitorSide);
		t.is(written.serial.baud_rate, workspace.config.serial.baud_rate);
		t.deepEqual(
			withoutUnits(shape(written)),
			withoutUnits(shape(workspace.config)),
		);

		// The written config, as it is, runs the monitor on the port; the example's device feeds it.
		const runDir = join(workspace.dir, 'run');
		mkdirSync(runDir);
		const monitor = stopOnTeardown(
			t,
			startCli(['--headless', '--config', target], {cwd: runDir}),
		);
		await monitor.waitFor(/listening on/);
		const emulator = stopOnTeardown(
			t,
			startCli(['emulate', '--config', workspace.configPath]),
		);
		const csv = join(runDir, 'data', 'structured_metrics.csv');
		const rows = () => {
			try {
				return linesOf(readFileSync(csv, 'utf8'));
			} catch {
				return [];
			}
		};

		await waitUntil(
			() => rows().length > 20,
			`20 readings in ${csv}; monitor stderr:\n${monitor.stderr()}`,
		);
		emulator.child.kill('SIGTERM');
		monitor.child.kill('SIGINT');
		t.is(await monitor.exited, 0, `${monitor.stderr()}`);
		const header = new Set(rows()[0]!.split(','));
		for (const field of deviceProfile(written).fields) {
			t.true(header.has(field.name), `${field.name} in the CSV header`);
		}

		// Round trip: emulate of the written config, read back by init.
		const played = join(workspace.dir, 'played.yaml');
		writeFileSync(
			played,
			readFileSync(target, 'utf8').replace(
				/^ {2}port: \/tmp\/serialwatch-device$/m,
				`  port: ${workspace.device}`,
			),
		);
		const again = join(workspace.dir, 'again.yaml');
		await initWhileEmulating(t, played, workspace.monitorSide, again);
		t.deepEqual(shape(readWritten(t, again)), shape(written));
	});
}
