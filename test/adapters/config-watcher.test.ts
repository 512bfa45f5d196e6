import {
	renameSync,
	rmSync,
	unlinkSync,
	utimesSync,
	writeFileSync,
} from 'node:fs';
import {join} from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {
	watchConfigFile,
	type ConfigWatchOptions,
	type ConfigWatchResult,
} from '../../source/adapters/config-watcher.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {waitUntil} from '../helpers/wait-until.js';

const debounceMs = 50;

const withMaxC = (maxC: number | string) =>
	`# thresholds only\nthresholds:\n  temperature:\n    max_c: ${maxC}\n`;

/** A config.yaml at max_c 80 in a fresh directory, watched; closed at teardown. */
function watched(t: ExecutionContext, options: ConfigWatchOptions = {}) {
	const dir = temporaryDirectory(t, 'watch');
	const path = join(dir, 'config.yaml');
	writeFileSync(path, withMaxC(80));
	const results: ConfigWatchResult[] = [];
	const watcher = watchConfigFile(
		path,
		(result) => {
			results.push(result);
		},
		{debounceMs, ...options},
	);
	// Registered after the directory, so it closes before the directory goes.
	t.teardown(() => {
		watcher.close();
	});
	return {
		dir,
		path,
		results,
		watcher,
		/** What each callback said: max_c, or the message. */
		seen: () =>
			results.map((result) =>
				result.ok ? result.config.thresholds.temperature.max_c : result.message,
			),
	};
}

/** For "nothing more came": longer than the debounce, with room for a busy machine. */
async function quietPeriod() {
	await new Promise((resolve) => {
		setTimeout(resolve, debounceMs * 6);
	});
}

test('a plain write gives the new config', async (t) => {
	const {path, seen} = watched(t);
	writeFileSync(path, withMaxC(75));
	await waitUntil(() => seen().length > 0, 'a callback');
	t.deepEqual(seen(), [75]);
});

test('saves by rename-over, again and again, keep being seen', async (t) => {
	const {dir, path, seen} = watched(t);
	for (const [index, maxC] of [75, 74, 73].entries()) {
		const temporary = join(dir, `.config.yaml.${index}.tmp`);
		writeFileSync(temporary, withMaxC(maxC));
		renameSync(temporary, path);
		// eslint-disable-next-line no-await-in-loop
		await waitUntil(() => seen().length === index + 1, `save ${index + 1}`);
	}

	t.deepEqual(seen(), [75, 74, 73]);
});

test('delete then recreate (vim with backupcopy=no) is one edit, not a missing file', async (t) => {
	const {path, seen} = watched(t);
	unlinkSync(path);
	await new Promise((resolve) => {
		setTimeout(resolve, debounceMs * 2);
	});
	writeFileSync(path, withMaxC(75));
	await waitUntil(() => seen().length > 0, 'a callback');
	await quietPeriod();
	t.deepEqual(seen(), [75]);

	// And the watch goes on after it.
	writeFileSync(path, withMaxC(74));
	await waitUntil(() => seen().length > 1, 'a second callback');
	t.deepEqual(seen(), [75, 74]);
});

test('several quick writes give one callback, with the last text', async (t) => {
	const {path, seen} = watched(t);
	for (const maxC of [79, 78, 77, 76, 75]) {
		writeFileSync(path, withMaxC(maxC));
	}

	await waitUntil(() => seen().length > 0, 'a callback');
	await quietPeriod();
	t.deepEqual(seen(), [75]);
});

test('an invalid edit says what and where; the fix is applied', async (t) => {
	const {path, results, seen} = watched(t);
	writeFileSync(path, withMaxC('hot'));
	await waitUntil(() => results.length > 0, 'the error');
	t.false(results[0]!.ok);
	t.regex(
		String(seen()[0]),
		/config\.yaml:4:\d+: thresholds\.temperature\.max_c: /,
	);

	writeFileSync(path, withMaxC(75));
	await waitUntil(() => results.length > 1, 'the fix');
	t.deepEqual(seen().slice(1), [75]);
});

test('a touch, an identical rewrite, or another file in the directory are not edits', async (t) => {
	const {dir, path, seen} = watched(t);
	utimesSync(path, new Date(), new Date());
	writeFileSync(path, withMaxC(80));
	writeFileSync(join(dir, 'config.yaml.swp'), 'vim swap');
	writeFileSync(join(dir, 'raw.log'), 'x');
	await quietPeriod();
	t.deepEqual(seen(), []);

	// The same invalid text twice is reported once.
	writeFileSync(path, withMaxC('hot'));
	await waitUntil(() => seen().length > 0, 'the error');
	writeFileSync(path, withMaxC('hot'));
	await quietPeriod();
	t.is(seen().length, 1);
});

test('a file that stays away is reported gone; its return is reported even unchanged', async (t) => {
	const {path, seen} = watched(t, {goneAfterMs: 200});
	unlinkSync(path);
	await waitUntil(() => seen().length > 0, 'the report');
	t.deepEqual(seen(), [
		`${path}: the file is gone (deleted or moved away): put it back to retune again (the next start reads it too)`,
	]);
	await quietPeriod();
	t.is(seen().length, 1, 'once');

	writeFileSync(path, withMaxC(80));
	await waitUntil(() => seen().length > 1, 'the return');
	t.deepEqual(seen().slice(1), [80]);
});

test('the directory removed: said once, no throw, no more calls', async (t) => {
	const {dir, path, seen} = watched(t, {goneAfterMs: 200});
	rmSync(dir, {recursive: true, force: true});
	await waitUntil(() => seen().length > 0, 'the report');
	await quietPeriod();
	t.deepEqual(seen(), [
		`${path}: no longer watching for edits (its directory is gone)`,
	]);
});

test('close() stops the callbacks, a pending one included', async (t) => {
	const {path, watcher, seen} = watched(t);
	writeFileSync(path, withMaxC(75));
	watcher.close();
	writeFileSync(path, withMaxC(74));
	await quietPeriod();
	t.deepEqual(seen(), []);
	t.notThrows(() => {
		watcher.close();
	}, 'twice is harmless');
});
