// Every way the package starts Node.js on its own code carries the inspector guard: the
// installed command's `#!` line (which cannot import it) and the npm scripts (which npm
// runs through a shell, where that line does not apply).
import {readFileSync} from 'node:fs';
import test from 'ava';
import {readJson} from '../helpers/json.js';
import {inspectorGuard} from '../../source/adapters/inspector-guard.js';

const read = (path: string) =>
	readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

test('the `#!` line of the CLI carries the guard', (t) => {
	t.is(
		read('source/cli.ts').split('\n')[0],
		`#!/usr/bin/env -S node ${inspectorGuard}`,
	);
});

test('each npm script that runs node on our code carries the guard', (t) => {
	const {scripts} = readJson<{scripts: Record<string, string>}>(
		read('package.json'),
		{text: true},
	);
	const nodeRuns = Object.entries(scripts).flatMap(([name, script]) =>
		script
			.split('&&')
			.map((command) => command.trim())
			.filter((command) => command.startsWith('node '))
			.map((command) => ({name, command})),
	);
	t.true(nodeRuns.some(({name}) => name === 'start'));
	for (const {name, command} of nodeRuns) {
		t.true(
			command.startsWith(`node ${inspectorGuard} `),
			`npm run ${name}: ${command}`,
		);
	}
});
