import {Buffer} from 'node:buffer';
import process from 'node:process';
import {readFileSync, readdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {compileCodec, type ParseResult} from '../../source/core/codec.js';
import {
	builtinProfile,
	type DeviceProfile,
} from '../../source/core/device-profile.js';
import {limits} from '../helpers/limits.js';

// Each file: the profile (JSON, or `builtin`), the device's lines, a line `---`, then what
// each line gives, in order: `reading <values as JSON> <level>`, `error <reason>` or
// `ignored <note>`. The lines are parsed in order by one codec, as a CSV header's column map
// is state. UPDATE_GOLDEN=1 writes the results instead of comparing (then review the diff).
const directory = path.join(import.meta.dirname, '../fixtures/codec');
const separator = '---';

function describe(result: ParseResult): string {
	if (result.ok === true) {
		return `reading ${JSON.stringify(result.reading.values)} ${result.reading.level}`;
	}

	return result.ok === false
		? `error ${result.reason}`
		: `ignored ${result.note}`;
}

for (const name of readdirSync(directory).filter((file) =>
	file.endsWith('.txt'),
)) {
	test(`golden lines: ${name}`, (t) => {
		const file = path.join(directory, name);
		const [declaration = '', ...rest] = readFileSync(file, 'utf8')
			.replace(/\n$/, '')
			.split('\n');
		const cut = rest.indexOf(separator);
		const lines = cut === -1 ? rest : rest.slice(0, cut);
		const expected = cut === -1 ? [] : rest.slice(cut + 1);
		const profile =
			declaration === 'builtin'
				? builtinProfile(limits)
				: // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- the fixtures hold profiles as config resolves them
					(JSON.parse(declaration) as DeviceProfile);
		const codec = compileCodec(profile, limits.maxLineBytes);
		const general = compileCodec(profile, limits.maxLineBytes, {
			inPlace: false,
		});
		const results = lines.map((line) => {
			const bytes = Buffer.from(line);
			const result = codec.parse(bytes);
			const fast = codec.readInPlace(bytes, 0, bytes.length);
			t.deepEqual(general.parse(bytes), result, `line ${JSON.stringify(line)}`);
			t.deepEqual(
				fast === undefined ? result : {ok: true, reading: fast},
				result,
				line,
			);

			return describe(result);
		});
		if (process.env['UPDATE_GOLDEN'] === '1') {
			writeFileSync(
				file,
				[declaration, ...lines, separator, ...results, ''].join('\n'),
			);
		}

		t.deepEqual(
			results,
			process.env['UPDATE_GOLDEN'] === '1' ? results : expected,
		);
	});
}
