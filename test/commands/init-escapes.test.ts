// A device's own text reaches init's table and the config it writes (a JSON key, a status
// word): an escape sequence in it must reach neither raw, and the written config must still
// declare the very key and level the device sends.
import {readFileSync} from 'node:fs';
import test from 'ava';
import {inferenceTable} from '../../source/commands/inference-table.js';
import {deviceProfile, parseConfig} from '../../source/core/config.js';
import {inferredConfigText} from '../../source/core/inferred-config-text.js';
import {deviceSectionText} from '../../source/core/profile-config-text.js';
import {inferProfile} from '../../source/core/profile-inference.js';

const encoder = new TextEncoder();
// Escaped in JSON, so the line itself is printable; parsed, they are ESC, BEL and CSI.
const lines = Array.from({length: 40}, (_, index) =>
	encoder.encode(
		String.raw`{"t":${(20 + index / 10).toFixed(2)},"st":"\u001b[31mOK","\u001b]0;pwn\u0007k":${index},"\u009b2J":1}`,
	),
);
// Every C0 control but a tab and a line feed, DEL and the C1 controls.
// eslint-disable-next-line no-control-regex -- the controls are what is looked for
const raw = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

test('no raw control character in the table or the written config; the keys and the level read back exact', (t) => {
	const inference = inferProfile(lines);
	if (!inference.ok) {
		throw new Error(inference.reason);
	}

	const table = inferenceTable(inference);
	t.notRegex(table, raw);
	t.regex(table, /\\x1b\[31mOK/);
	const text = inferredConfigText({
		defaults: readFileSync('config.yaml', 'utf8'),
		port: '/dev/ttyUSB0',
		baudRate: 115_200,
		device: deviceSectionText(inference),
		heading: [],
	});
	t.notRegex(text, raw);
	const profile = deviceProfile(parseConfig(text, 'inferred.yaml'));
	t.deepEqual(
		profile.fields.map((field) => field.key).toSorted(),
		['t', 'st', '\u001B]0;pwn\u0007k', '\u009B2J'].toSorted(),
	);
	const status = profile.fields.find((field) => field.key === 'st');
	t.deepEqual(
		status?.type === 'status' ? status.levels.map((level) => level.value) : [],
		['\u001B[31mOK'],
	);
});
