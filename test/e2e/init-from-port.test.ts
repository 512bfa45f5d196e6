// `serialwatch init --from-port` on a real socat pair: each shipped example played by
// `emulate` on one end is declared from what it sends on the other; the config written
// starts the headless monitor as it is, readings flowing into the CSV and no line the
// example reads refused; `emulate` of the written config, read back by init, declares the
// same fields.
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {createVirtualPair} from '../../source/adapters/virtual-pair.js';
import {
	deviceProfile,
	parseConfigWithWarnings,
	type Config,
} from '../../source/core/config.js';
import {compileCodec} from '../../source/core/codec.js';
import {runCli, startCli, stopOnTeardown} from '../helpers/cli.js';
import {exampleNames, exampleWorkspace} from '../helpers/example-tour.js';
import {requireSocat} from '../helpers/socat.js';
import {unescapeBytes} from '../helpers/unescape-bytes.js';
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
	{
		monitorSide,
		target,
		baud,
	}: {monitorSide: string; target: string; baud: number},
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
		'--baud',
		String(baud),
	]);
	emulator.child.kill('SIGTERM');
	await emulator.exited;
	t.is(result.code, 0, result.stderr);
	return result;
}

type Shape = ReturnType<typeof shape>;

/**
 * The example's shape as init can know it: units only where the line shows them (a regex
 * device's), and a regex device's every number, so the °F twin of a °C group the example
 * leaves uncaptured is expected beside the example's own groups.
 */
function expectedFrom(example: Shape, inferred: Shape): Shape {
	if (example.format !== 'regex') {
		return {
			...example,
			fields: example.fields.map((field) => ({...field, unit: ''})),
		};
	}

	const keys = new Set(example.fields.map((field) => field.key));
	const twins = inferred.fields.filter(
		(field) =>
			!keys.has(field.key) &&
			field.unit === '°F' &&
			keys.has(field.key.replace(/_f$/, '')),
	);
	return {
		...example,
		fields: [...example.fields, ...twins].toSorted((a, b) =>
			a.key.localeCompare(b.key),
		),
	};
}

for (const name of exampleNames) {
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
		const first = await initWhileEmulating(t, workspace.configPath, {
			monitorSide: workspace.monitorSide,
			target,
			baud: workspace.config.serial.baud_rate,
		});
		t.regex(first.stdout, /^field\s+type\s+unit\s+seen\s+samples$/m);
		t.regex(first.stdout, /\d+ of \d+ lines matched/);
		t.regex(first.stdout, new RegExp(`wrote ${target}`));
		const written = readWritten(t, target);
		t.is(written.serial.port, workspace.monitorSide);
		t.is(written.serial.baud_rate, workspace.config.serial.baud_rate);
		t.deepEqual(
			shape(written),
			expectedFrom(shape(workspace.config), shape(written)),
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
			() => rows().length > 60,
			`60 readings in ${csv}; monitor stderr:\n${monitor.stderr()}`,
		);
		emulator.child.kill('SIGTERM');
		monitor.child.kill('SIGINT');
		t.is(await monitor.exited, 0, `${monitor.stderr()}`);
		const header = new Set(rows()[0]!.split(','));
		for (const field of deviceProfile(written).fields) {
			t.true(header.has(field.name), `${field.name} in the CSV header`);
		}

		// A line the written config refuses is one the example refuses too: its faults.
		const exampleCodec = compileCodec(
			deviceProfile(workspace.config),
			workspace.config.serial.max_line_bytes,
		);
		let refused = 0;
		for (const row of linesOf(
			readFileSync(join(runDir, 'data', 'parser_errors.log'), 'utf8'),
		)) {
			const [, reason, escaped] = row.split('\t');
			const bytes = unescapeBytes(escaped!);
			refused++;
			t.not(
				exampleCodec.parse(bytes).ok,
				true,
				`the example reads ${escaped!}, the written config refuses it: ${reason!}`,
			);
		}

		t.log(`${rows().length - 1} readings, ${refused} lines refused`);

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
		await initWhileEmulating(t, played, {
			monitorSide: workspace.monitorSide,
			target: again,
			baud: workspace.config.serial.baud_rate,
		});
		t.deepEqual(shape(readWritten(t, again)), shape(written));
	});
}
