// The alert sinks from the built CLI: a demo run of the failure scenario posting to
// PagerDuty, Slack and webhook stand-ins on a local server that hangs while the scenario
// plays. raw.log keeps the device's pace throughout; once the server answers, each sink
// has every event it takes, exactly once.
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import process from 'node:process';
import test from 'ava';
import {startCli, stopOnTeardown} from '../helpers/cli.js';
import {startAlertPeer} from '../helpers/alert-peer.js';
import {readJson} from '../helpers/json.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {waitUntil} from '../helpers/wait-until.js';

type Line = {event: string; at: string; id: string; severity: string};
type PagerDuty = {event_action: string; dedup_key: string; routing_key: string};

const rate = 20;
// The failure scenario's length in lines.
const scenarioLines = 36;

test('a hung alert peer does not slow the run; once it answers, every event reaches each sink exactly once', async (t) => {
	const peer = await startAlertPeer(t);
	peer.hangAll(true);
	const dir = temporaryDirectory(t, 'sinks');
	const config = join(dir, 'config.yaml');
	const slackPath = '/slack/T0000/B0000/E2ESECRET';
	writeFileSync(
		config,
		[
			'output:',
			`  dir: ${join(dir, 'data')}`,
			'alerts:',
			'  sinks:',
			`    - {type: pagerduty, url: "${peer.url}/pd", routing_key_env: E2E_PD_KEY, timeout_s: 2}`,
			'    - {type: slack, url_env: E2E_SLACK_URL, min_severity: CRITICAL, timeout_s: 2}',
			`    - {type: webhook, url: "${peer.url}/hook", timeout_s: 2}`,
			'',
		].join('\n'),
	);
	// The child inherits them; the key is checked for below, never printed.
	process.env['E2E_PD_KEY'] = 'E2EROUTINGKEY';
	process.env['E2E_SLACK_URL'] = `${peer.url}${slackPath}`;
	const run = stopOnTeardown(
		t,
		startCli([
			'--demo',
			'--headless',
			'--scenario',
			'failure',
			'--rate',
			String(rate),
			'--config',
			config,
		]),
	);
	const raw = join(dir, 'data', 'raw.log');
	const rawTimes = () =>
		readFileSync(raw, 'utf8')
			.split('\n')
			.filter(Boolean)
			.map((line) => Date.parse(line.slice(0, line.indexOf('\t'))));
	await run.waitFor(/listening on/);
	await waitUntil(
		() => rawTimes().length >= scenarioLines,
		'the scenario is played',
		20_000,
	);
	// Every sink has had a request hanging all along.
	t.deepEqual(
		[...new Set(peer.all.map((received) => received.path))].toSorted(),
		['/hook', '/pd', slackPath],
	);
	t.is(peer.accepted.length, 0);
	const times = rawTimes();
	const spanMs = times.at(-1)! - times[0]!;
	const expectedMs = ((times.length - 1) * 1000) / rate;
	t.true(
		spanMs < expectedMs * 1.25,
		`${times.length} lines in ${spanMs} ms while the peer hung (${expectedMs} ms at ${rate}/s)`,
	);
	const gaps = times.slice(1).map((time, index) => time - times[index]!);
	t.log(
		`while the peer hung: ${times.length} lines in ${spanMs} ms (${expectedMs} ms at ${rate}/s), largest gap ${Math.max(...gaps)} ms`,
	);
	t.true(Math.max(...gaps) < 250, `largest gap ${Math.max(...gaps)} ms`);

	const printed = () =>
		run
			.stdout()
			.split('\n')
			.filter(Boolean)
			.map((line) => readJson<Line>(line, {text: true}));
	const played = printed();
	t.true(played.length >= 10, `${played.length} events`);
	const playedCritical = played.filter(
		(event) => event.severity === 'CRITICAL',
	);
	peer.hangAll(false);
	const arrived = (path: string) =>
		peer.accepted.filter((received) => received.path === path);
	await waitUntil(
		() =>
			arrived('/hook').length >= played.length &&
			arrived('/pd').length >= played.length &&
			arrived(slackPath).length >= playedCritical.length,
		'every sink has the events of the scenario',
		30_000,
	);
	// The run goes on (a heartbeat loss, the demo playing again): what it has printed by
	// its stop is what the sinks without a rate limit must have had when it ends.
	run.child.kill('SIGINT');
	t.is(await run.exited, 0, `${run.stderr()}`);
	const events = printed();
	t.deepEqual(
		arrived('/hook').map((received) => {
			const body = readJson<Line>(received.body, {text: true});
			return `${body.event} ${body.id} ${body.at}`;
		}),
		events.map((event) => `${event.event} ${event.id} ${event.at}`),
	);
	const paged = arrived('/pd').map((received) =>
		readJson<PagerDuty>(received.body, {text: true}),
	);
	t.deepEqual(
		paged.map((body) => `${body.event_action} ${body.dedup_key}`),
		events.map(
			(event) =>
				`${event.event === 'resolved' ? 'resolve' : 'trigger'} ${event.id}`,
		),
	);
	t.true(paged.every((body) => body.routing_key === 'E2EROUTINGKEY'));
	// Slack at a message a second may still hold some at the stop; none twice, none out of order.
	const chatted = arrived(slackPath).map(
		(received) => readJson<{text: string}>(received.body, {text: true}).text,
	);
	const critical = events.filter((event) => event.severity === 'CRITICAL');
	t.deepEqual(
		chatted.map((text) => text.split(' ', 1)[0]),
		critical.slice(0, chatted.length).map((event) => `[${event.event}]`),
	);
	t.true(chatted.length >= playedCritical.length);
	t.false(run.stderr().includes('E2EROUTINGKEY'));
	t.false(run.stderr().includes('E2ESECRET'));
});
