import {execFileSync} from 'node:child_process';
import {copyFileSync, renameSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {defaultConfig} from '../../source/core/config.js';
import {
	watchLiveConfig,
	type LiveConfigEvent,
} from '../../source/app/live-config.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';
import {waitUntil} from '../helpers/wait-until.js';

const debounceMs = 50;
const withMaxC = (maxC: number | string) =>
	`thresholds:\n  temperature:\n    max_c: ${maxC}\n`;

function setup(t: ExecutionContext) {
	const dir = temporaryDirectory(t, 'live-hostile');
	const path = join(dir, 'config.yaml');
	writeFileSync(path, withMaxC(80));
	const events: LiveConfigEvent[] = [];
	const live = watchLiveConfig({
		config: defaultConfig,
		path,
		overrides: {},
		session: {
			async retune(next) {
				return {port: next.serial.port, baud_rate: next.serial.baud_rate};
			},
		},
		onEvent(event) {
			events.push(event);
		},
		watchOptions: {debounceMs},
	});
	t.teardown(() => {
		live.close();
	});
	return {dir, path, live, events};
}

async function quiet() {
	await new Promise((resolve) => {
		setTimeout(resolve, debounceMs * 8);
	});
}

const hostileEdits: Array<[string, string, RegExp]> = [
	[
		'truncated',
		'thresholds:\n  temperature:\n    max_c: [8',
		/:3:14: YAML syntax/,
	],
	['empty', '', /: the file is empty; the config in effect stays/],
	['tabs', 'thresholds:\n\ttemperature:\n', /:2:1: YAML syntax: Tabs/],
	[
		'duplicate key',
		'thresholds:\n  temperature:\n    max_c: 60\n    max_c: 70\n',
		/:4:5: duplicate key "max_c"/,
	],
	[
		'"80" as a string',
		withMaxC('"80"'),
		/:3:12: .*max_c: expected a number, got "80"/,
	],
	['.nan', withMaxC('.nan'), /:3:12: .*max_c: expected a number, got NaN/],
	[
		'an alias bomb',
		'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n',
		/:3:17: alias \*b expands too often/,
	],
	[
		'__proto__',
		'thresholds:\n  __proto__:\n    heartbeat_timeout_s: 1\n',
		/:2:3: thresholds\.__proto__: unknown key/,
	],
];

test('hostile edits while running: each refused with its first problem placed, the last valid config stays in effect', async (t) => {
	const {path, live, events} = setup(t);
	writeFileSync(path, withMaxC(75));
	await waitUntil(() => events.length === 1, 'the valid edit applies');
	t.is(live.current().thresholds.temperature.max_c, 75);
	for (const [what, text, problem] of hostileEdits) {
		const before = events.length;
		writeFileSync(path, text);
		// eslint-disable-next-line no-await-in-loop
		await waitUntil(() => events.length > before, `${what} is seen`);
		const event = events.at(-1)!;
		const message = event.type === 'rejected' ? event.message : '';
		t.is(event.type, 'rejected', `${what} is refused`);
		t.regex(message.split('\n')[0]!, problem, `${what}: its first problem`);
		t.true(message.startsWith(path), `${what}: names the file`);
		t.is(live.current().thresholds.temperature.max_c, 75, `${what}: max_c`);
		t.is(
			live.current().thresholds.heartbeat_timeout_s,
			5,
			`${what}: heartbeat`,
		);
	}

	t.false(
		events.some((event, index) => index > 0 && event.type === 'applied'),
		'only the whole valid config was ever swapped in',
	);
});

test("editors' saves (rename-over, sed -i, cp, echo >) each apply a valid change exactly once", async (t) => {
	const {dir, path, live, events} = setup(t);
	const applied = () =>
		events.flatMap((event) =>
			event.type === 'applied'
				? [event.config.thresholds.temperature.max_c]
				: [],
		);
	const saves: Array<[string, number, () => void]> = [
		[
			'rename-over (vim)',
			71,
			() => {
				writeFileSync(join(dir, '.config.yaml.swp'), withMaxC(71));
				renameSync(join(dir, '.config.yaml.swp'), path);
			},
		],
		[
			'sed -i',
			72,
			() => {
				execFileSync('sed', ['-i', 's/max_c: 71/max_c: 72/', path]);
			},
		],
		[
			'cp',
			73,
			() => {
				writeFileSync(join(dir, 'other.yaml'), withMaxC(73));
				copyFileSync(join(dir, 'other.yaml'), path);
			},
		],
		[
			'echo >',
			74,
			() => {
				execFileSync('sh', [
					'-c',
					`printf '${withMaxC(74).replaceAll('\n', String.raw`\n`)}' > '${path}'`,
				]);
			},
		],
	];
	for (const [what, maxC, save] of saves) {
		save();
		// eslint-disable-next-line no-await-in-loop
		await waitUntil(() => applied().at(-1) === maxC, `${what} applies`);
		// eslint-disable-next-line no-await-in-loop
		await quiet();
		t.is(live.current().thresholds.temperature.max_c, maxC, `after ${what}`);
	}

	t.deepEqual(applied(), [71, 72, 73, 74], 'each once, in order');
	t.deepEqual(
		events.filter((event) => event.type !== 'applied'),
		[],
		'no save was ever seen half done',
	);
});
