// raw.log is appended to by every run; the report of a run covers the whole file, earlier
// runs and the silence between them included, so that it equals a replay of the file.
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {runCli, startCli} from '../helpers/cli.js';
import {readJson} from '../helpers/json.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {waitUntil} from '../helpers/wait-until.js';

test("a second run into the same dir keeps the first run's incidents and equals a replay, byte for byte", async (t) => {
	const dir = temporaryDirectory(t, 'runs');
	const config = join(dir, 'config.yaml');
	writeFileSync(
		config,
		`output:\n  dir: ${join(dir, 'data')}\nthresholds:\n  heartbeat_timeout_s: 1\n`,
	);
	const run = async (scenario: string) =>
		runCli([
			'--demo',
			'--config',
			config,
			'--scenario',
			scenario,
			'--rate',
			'20',
			'--duration',
			'1.5',
		]);

	const firstRun = await run('failure');
	t.is(firstRun.code, 0, `${firstRun.stderr}`);
	const first = readJson<Array<{id: string; type: string; end: string | null}>>(
		join(dir, 'data', 'anomaly_report.json'),
	);
	t.true(first.length > 0);
	await new Promise((resolve) => {
		setTimeout(resolve, 1500);
	});
	const second = await run('normal');
	t.is(second.code, 0, `${second.stderr}`);
	// From the first run's checkpoint: none of its lines is read again.
	t.regex(
		second.stderr,
		/took up \d+ earlier lines of .*raw\.log: 0 read after its checkpoint at line \d+/,
	);

	const report = readFileSync(join(dir, 'data', 'anomaly_report.json'), 'utf8');
	const entries = readJson<
		Array<{id: string; type: string; description: string}>
	>(report, {text: true});
	// All but a silence still in progress at the first run's end, which its raw.log cannot show.
	const kept = first.filter(
		(entry) => entry.type !== 'HEARTBEAT_LOSS' || entry.end !== null,
	);
	for (const {id} of kept) {
		t.true(
			entries.some((entry) => entry.id === id),
			`first run's ${id} kept`,
		);
	}

	// At least the pause between the runs: the second starts 1.5 s after the first ended.
	const silences = entries
		.filter((entry) => entry.type === 'HEARTBEAT_LOSS')
		.map((entry) =>
			Number(
				/No data received for ([\d.]+) seconds/.exec(entry.description)?.[1],
			),
		);
	t.true(
		silences.some((seconds) => seconds >= 1.5 && seconds < 30),
		`the silence between the runs is an incident: ${silences.join(', ')} s`,
	);
	const replayed = await runCli([
		'replay',
		join(dir, 'data', 'raw.log'),
		'--config',
		config,
		'--out',
		join(dir, 'replay'),
	]);
	t.is(replayed.code, 0, `${replayed.stderr}`);
	t.is(
		readFileSync(join(dir, 'replay', 'anomaly_report.json'), 'utf8'),
		report,
	);
});

test('a run killed between checkpoints: the next start reads only what came after the last checkpoint, and equals a replay', async (t) => {
	const dir = temporaryDirectory(t, 'killed-run');
	const config = join(dir, 'config.yaml');
	const data = join(dir, 'data');
	writeFileSync(
		config,
		`output:\n  dir: ${data}\nthresholds:\n  heartbeat_timeout_s: 1\n`,
	);
	const demo = ['--demo', '--config', config, '--rate', '20', '--headless'];
	const first = await runCli([
		...demo,
		'--scenario',
		'failure',
		'--duration',
		'1.5',
	]);
	t.is(first.code, 0, `${first.stderr}`);
	const linesAfterFirst =
		readFileSync(join(data, 'raw.log'), 'utf8').split('\n').length - 1;

	// Killed 1.5 s in, long before its first periodic checkpoint (every 10 s).
	const killed = startCli([...demo, '--scenario', 'mixed']);
	const rawLines = () =>
		readFileSync(join(data, 'raw.log'), 'utf8').split('\n').length - 1;
	await waitUntil(
		() => rawLines() >= linesAfterFirst + 20,
		'the second run logs lines',
		10_000,
	);
	killed.child.kill('SIGKILL');
	await killed.exited;
	const linesAfterKill = rawLines();
	t.true(linesAfterKill > linesAfterFirst, 'the killed run logged lines');

	const third = await runCli([
		...demo,
		'--scenario',
		'normal',
		'--duration',
		'1',
	]);
	t.is(third.code, 0, `${third.stderr}`);
	const taken =
		/took up (\d+) earlier lines of .*raw\.log: (\d+) read after its checkpoint at line (\d+)/.exec(
			third.stderr,
		);
	t.truthy(taken, `${third.stderr}`);
	t.is(Number(taken?.[3]), linesAfterFirst);
	t.true(Number(taken?.[2]) >= linesAfterKill - linesAfterFirst);

	const replayed = await runCli([
		'replay',
		join(data, 'raw.log'),
		'--config',
		config,
		'--out',
		join(dir, 'replay'),
	]);
	t.is(replayed.code, 0, `${replayed.stderr}`);
	t.is(
		readFileSync(join(dir, 'replay', 'anomaly_report.json'), 'utf8'),
		readFileSync(join(data, 'anomaly_report.json'), 'utf8'),
	);
	for (const file of ['structured_metrics.csv', 'parser_errors.log']) {
		t.is(
			readFileSync(join(dir, 'replay', file), 'utf8'),
			readFileSync(join(data, file), 'utf8'),
			`${file}`,
		);
	}
});
