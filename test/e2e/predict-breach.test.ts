// A declared device with a predict rule, its tour played by `emulate` over a socat pair into
// the headless monitor: PREDICTED_BREACH_TEMPERATURE fires with its ETA before the band is
// crossed and resolves; the report, the journal and /metrics (scraped over HTTP while it
// runs) say so, and replay of raw.log writes the same report.
import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {readJson} from '../helpers/json.js';
import {
	outputFiles,
	playTour,
	replayRun,
	tourLimitMs,
} from '../helpers/example-tour.js';
import {kilnWorkspace, predictedSeconds} from '../helpers/predict-device.js';
import {requirePromtool} from '../helpers/prometheus.js';
import {freePort} from '../helpers/real-server.js';
import {requireSocat} from '../helpers/socat.js';
import {linesOf} from '../helpers/wait-until.js';

const type = 'PREDICTED_BREACH_TEMPERATURE';

type Entry = {
	type: string;
	severity: string;
	description: string;
	end: string | null;
};

test('a predict rule played by emulate: fires with its ETA before the band, resolves, is in the report and journal, replay agrees; /metrics below +Inf while it holds, +Inf after, promtool-clean', async (t) => {
	t.timeout(tourLimitMs + 60_000);
	if (!requireSocat(t) || !requirePromtool(t)) {
		return;
	}

	const workspace = kilnWorkspace(t, 'predict-breach');
	const port = await freePort();
	// Scraped all along, until the monitor stops: every value, and one text of each kind.
	const scrapes: Array<{value: number; text: string}> = [];
	const scraping = {on: true};
	const scraper = (async () => {
		while (scraping.on) {
			try {
				// eslint-disable-next-line no-await-in-loop
				const response = await fetch(`http://127.0.0.1:${port}/metrics`);
				// eslint-disable-next-line no-await-in-loop
				const text = await response.text();
				scrapes.push({value: predictedSeconds(text), text});
			} catch {
				// Not listening yet, or stopped.
			}

			// eslint-disable-next-line no-await-in-loop
			await new Promise((resolve) => {
				setTimeout(resolve, 250);
			});
		}
	})();
	t.teardown(async () => {
		scraping.on = false;
		await scraper;
	});

	const {monitor} = await playTour(t, workspace, [
		'--metrics',
		`127.0.0.1:${port}`,
	]);
	scraping.on = false;
	await scraper;

	// The headless events: each prediction fired with its ETA and resolved, a WARNING. The
	// tour's walk up to the band rule's levels is itself a steep ramp that a trend sees
	// coming; its own predict ramp ends short of the crit level.
	const events = linesOf(monitor.stdout())
		.map((line) => readJson<Entry & {event: string}>(line, {text: true}))
		.filter((event) => event.type === type);
	t.log(events.map((event) => JSON.stringify(event)).join('\n'));
	const kinds = events
		.map((event) => event.event)
		.filter((kind) => kind !== 'worsened');
	t.true(kinds.length >= 2);
	t.deepEqual(
		kinds,
		kinds.map((_, index) => (index % 2 === 0 ? 'fired' : 'resolved')),
	);
	for (const event of events) {
		t.is(event.severity, 'WARNING');
		t.regex(
			event.description,
			/^Temperature \d+\.\d°C rising \d+\.\d°C\/(?:min|s); reaches 70\.0°C in (?:about \d+ (?:s|min)|less than a minute)\.$/,
		);
	}

	// The report and the journal hold the one incident, resolved.
	const report = readJson<Entry[]>(join(workspace.data, 'anomaly_report.json'));
	const reported = report.filter((entry) => entry.type === type);
	t.is(reported.length, kinds.length / 2);
	t.true(reported.every((entry) => entry.end !== null));
	const journal = join(
		workspace.data,
		'.serialwatch',
		'journal',
		`${type}.jsonl`,
	);
	t.true(existsSync(journal), 'a journal file for the rule');
	const journaled = linesOf(readFileSync(journal, 'utf8')).map((line) =>
		readJson<Entry>(line, {text: true}),
	);
	t.deepEqual(journaled, reported);

	const live = outputFiles(workspace.data);
	const replayed = outputFiles(await replayRun(t, workspace));
	t.is(
		replayed.get('anomaly_report.json'),
		live.get('anomaly_report.json'),
		'replay writes the same report',
	);

	// /metrics: +Inf, then finite and within the horizon while the prediction held, then
	// +Inf again until the stop.
	const values = scrapes.map((scrape) => scrape.value);
	t.log(`${values.length} scrapes: ${values.join(' ')}`);
	// Scrapes before the exporter listened and after it stopped failed and are not here.
	t.false(
		values.some((value) => Number.isNaN(value)),
		'the series is always there',
	);
	const firstFinite = values.findIndex((value) => Number.isFinite(value));
	const lastFinite = values.findLastIndex((value) => Number.isFinite(value));
	t.true(firstFinite > 0, 'finite at some scrape, +Inf before');
	t.is(values[0], Number.POSITIVE_INFINITY);
	t.true(lastFinite < values.length - 1, '+Inf after');
	t.is(values.at(-1), Number.POSITIVE_INFINITY);
	t.true(
		values
			.filter((value) => Number.isFinite(value))
			.every((value) => value >= 0 && value <= 72),
		'within the horizon (1.2 of it, once held) while it holds',
	);
	for (const scrape of [scrapes[firstFinite]!, scrapes.at(-1)!]) {
		const result = spawnSync('promtool', ['check', 'metrics'], {
			input: scrape.text,
			encoding: 'utf8',
		});
		t.is(result.status, 0, `${result.stdout}${result.stderr}`);
	}
});
