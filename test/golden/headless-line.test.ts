// The golden event lines are built by golden-run.ts's headlessLine; this holds it to the
// bytes `serialwatch --headless` really prints: every event line of a demo run is
// headlessLine of its own parts.
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import type {IncidentEvent, ReportEntry} from '../../source/core/incident.js';
import {startCli, stopOnTeardown} from '../helpers/cli.js';
import {readJson} from '../helpers/json.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {waitUntil} from '../helpers/wait-until.js';
import {headlessLine} from './golden-run.js';

test('headlessLine is the line serialwatch --headless prints for an event', async (t) => {
	const dir = temporaryDirectory(t, 'golden-headless');
	const config = join(dir, 'config.yaml');
	writeFileSync(config, `output:\n  dir: ${join(dir, 'data')}\n`);
	const run = stopOnTeardown(
		t,
		startCli([
			'--demo',
			'--headless',
			'--scenario',
			'failure',
			'--rate',
			'100',
			'--config',
			config,
		]),
	);
	// Whole lines only: the last may still be on its way.
	const printed = () => {
		const text = run.stdout();
		return text
			.slice(0, text.lastIndexOf('\n') + 1)
			.split('\n')
			.filter(Boolean);
	};

	// The failure scenario fires, worsens and resolves incidents within its first 40 lines.
	await waitUntil(
		() => printed().some((line) => line.includes('"event":"resolved"')),
		'an incident resolved',
	);
	const lines = printed();
	t.true(lines.length >= 3, `${lines.length} event lines`);
	for (const line of lines) {
		const {event, at, ...incident} = readJson<
			Pick<IncidentEvent, 'event' | 'at'> & ReportEntry
		>(line, {text: true});
		t.is(headlessLine({event, at, incident}), `${line}\n`);
	}
});
