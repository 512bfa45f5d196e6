// raw.log is appended to by every run; the report of a run covers the whole file, earlier
// runs and the silence between them included, so that it equals a replay of the file.
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {runCli} from '../helpers/cli.js';
import {readJson} from '../helpers/json.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';

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
	t.regex(second.stderr, /took up \d+ earlier lines of .*raw\.log/);

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
