// Types and calls flow down: app -> adapters -> core. An adapter that imports from app/ or
// a core module that imports node:*, React, Ink or serialport breaks that, and with it
// testing core without the outside world.
import {readdirSync, readFileSync} from 'node:fs';
import {join, relative, resolve} from 'node:path';
import test from 'ava';

const root = resolve(import.meta.dirname, '../..');
const sourceDir = join(root, 'source');

function filesUnder(dir: string): string[] {
	return readdirSync(dir, {withFileTypes: true, recursive: true})
		.filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
		.map((entry) => join(entry.parentPath, entry.name));
}

// Static imports and re-exports (`from '...'`), side-effect imports and dynamic import().
const specifierPattern =
	/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

function importsOf(text: string): string[] {
	return [...text.matchAll(specifierPattern)].map((match) => match[1]!);
}

/** Each import of a file under `layer` that `refused` says no to, as `file: specifier`. */
function offences(
	layer: string,
	refused: (specifier: string, file: string) => boolean,
): string[] {
	return filesUnder(join(sourceDir, layer)).flatMap((file) =>
		importsOf(readFileSync(file, 'utf8'))
			.filter((specifier) => refused(specifier, file))
			.map((specifier) => `${relative(root, file)}: ${specifier}`),
	);
}

function reachesInto(file: string, specifier: string, layer: string): boolean {
	return (
		specifier.startsWith('.') &&
		resolve(join(file, '..'), specifier).startsWith(join(sourceDir, layer, '/'))
	);
}

test('the scan finds every kind of import', (t) => {
	t.deepEqual(
		importsOf(
			[
				"import {a} from '../app/x.js';",
				"import type {B} from 'node:fs';",
				"export {c} from './c.js';",
				"import './side-effect.js';",
				"const d = await import('ink');",
			].join('\n'),
		),
		['../app/x.js', 'node:fs', './c.js', './side-effect.js', 'ink'],
	);
});

test('no adapter or core module imports from app/ or ui/', (t) => {
	const upward = (specifier: string, file: string) =>
		['app', 'ui'].some((layer) => reachesInto(file, specifier, layer));
	t.deepEqual(
		[...offences('adapters', upward), ...offences('core', upward)],
		[],
	);
});

test('core imports nothing of the outside world: no node:*, React, Ink or serialport, no adapter', (t) => {
	const outside = (specifier: string, file: string) =>
		specifier.startsWith('node:') ||
		/^(?:react|ink|serialport|@serialport)(?:\/|$)/.test(specifier) ||
		reachesInto(file, specifier, 'adapters');
	t.deepEqual(offences('core', outside), []);
});
