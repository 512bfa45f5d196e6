import {Buffer} from 'node:buffer';
import test from 'ava';
import fc from 'fast-check';
import {checkPattern, compileCodec} from '../../source/core/codec.js';
import {createPairsInPlace} from '../../source/core/codec/pairs-in-place.js';
import type {
	DeviceProfile,
	Field,
	LineFormat,
} from '../../source/core/device-profile.js';
import {statusLevels} from '../../source/core/protocol.js';

const number = (key: string, range: [number, number] = [-40, 125]): Field => ({
	type: 'number',
	name: key.replaceAll(/\W/g, '_').toLowerCase(),
	key,
	label: key,
	unit: '',
	range,
	decimals: 2,
	optional: false,
	metric: undefined,
});

const profileOf = (format: LineFormat, fields: Field[]): DeviceProfile => ({
	name: 'device',
	builtin: false,
	format,
	fields,
	unknownKeys: 'ignore',
});

const parse = (profile: DeviceProfile, line: string) =>
	compileCodec(profile, 1024).parse(Buffer.from(line));

test('the four devices people plug in give readings', (t) => {
	const pairs = profileOf({type: 'pairs', assign: ':=', separators: ',; \t'}, [
		number('temp'),
		number('hum', [0, 100]),
	]);
	t.deepEqual(parse(pairs, 'temp:23.00,hum:45.0'), {
		ok: true,
		reading: {values: [23, 45], level: 'NORMAL'},
	});

	const dht = profileOf(
		{
			type: 'regex',
			pattern: String.raw`Humidity: (?<h>[\d.]+)%\s+Temperature: (?<t>-?[\d.]+)°C`,
		},
		[number('t'), number('h', [0, 100])],
	);
	t.deepEqual(
		parse(
			dht,
			'Humidity: 45.00%  Temperature: 23.00°C 73.40°F  Heat index: 23.10°C 73.60°F',
		),
		{ok: true, reading: {values: [23, 45], level: 'NORMAL'}},
	);

	const esp32 = profileOf({type: 'json'}, [number('t'), number('h', [0, 100])]);
	t.deepEqual(parse(esp32, '{"t":23.00,"h":45.0}'), {
		ok: true,
		reading: {values: [23, 45], level: 'NORMAL'},
	});

	const csv = profileOf({type: 'csv', separator: ',', header: false}, [
		number('1'),
		number('2', [0, 100]),
		number('3', [300, 1100]),
	]);
	t.deepEqual(parse(csv, '23.00,45.0,1013.2'), {
		ok: true,
		reading: {values: [23, 45, 1013.2], level: 'NORMAL'},
	});
});

test('a pathological pattern and line do not stall the parser', (t) => {
	// (a+)+b on a line of a's backtracks exponentially in JavaScript's own engine.
	const profile = profileOf({type: 'regex', pattern: '^(?<x>(a+)+)b$'}, [
		number('x'),
	]);
	const codec = compileCodec(profile, 100_000);
	const line = Buffer.from('a'.repeat(50_000));
	const started = performance.now();
	t.deepEqual(codec.parse(line), {
		ok: false,
		reason: 'line does not match the device pattern',
	});
	// A backtracking engine needs longer than the universe's age here; RE2 milliseconds.
	t.true(performance.now() - started < 20_000);
});

test('checkPattern names what is wrong with a pattern', (t) => {
	t.is(checkPattern(String.raw`(?<t>\d+)`, ['t']), undefined);
	t.regex(checkPattern(String.raw`(?<t>\d+`, ['t'])!, /^invalid pattern/);
	t.regex(checkPattern(String.raw`(?=x)(?<t>\d+)`, ['t'])!, /^invalid pattern/);
	t.regex(checkPattern(String.raw`(\d+)`, ['t'])!, /no named group/);
	t.is(
		checkPattern(String.raw`(?<t>\d+) (?<u>\d+)`, ['t']),
		"the group 'u' names no field's key",
	);
	t.is(
		checkPattern(String.raw`(?<t>\d+)`, ['t', 'h']),
		"the field key 'h' names no group of the pattern",
	);
});

const key = fc.stringMatching(/^[A-Za-z]\w{0,5}$/);
const levelValue = fc.stringMatching(/^[A-Z][A-Z\d]{0,5}$/);

const pairsProfile = fc
	.record({
		keys: fc.uniqueArray(key, {minLength: 1, maxLength: 6}),
		kinds: fc.array(fc.boolean(), {minLength: 6, maxLength: 6}),
		optional: fc.array(fc.boolean(), {minLength: 6, maxLength: 6}),
		levels: fc.uniqueArray(levelValue, {minLength: 1, maxLength: 4}),
		prefix: fc.boolean(),
		assign: fc.constantFrom(':', '=', ':=', '=:'),
		separators: fc.constantFrom(',', ';', ',; \t', ' ', '\t', ', '),
		unknownKeys: fc.constantFrom('ignore' as const, 'error' as const),
	})
	.map(
		({
			keys,
			kinds,
			optional,
			levels,
			prefix,
			assign,
			separators,
			unknownKeys,
		}) =>
			({
				name: 'random',
				builtin: false,
				format: {type: 'pairs', assign, separators},
				unknownKeys,
				fields: keys.map((fieldKey, index): Field =>
					kinds[index]
						? {...number(fieldKey, [-50, 50]), optional: optional[index]!}
						: {
								type: 'status',
								name: fieldKey.toLowerCase(),
								key: fieldKey,
								label: fieldKey,
								optional: optional[index]!,
								levels: levels.map((value, rank) => ({
									match: prefix ? 'prefix' : 'exact',
									value,
									level: statusLevels[rank % statusLevels.length]!,
								})),
							},
				),
			}) satisfies DeviceProfile,
	);

/** A line for the profile: mostly its common shape, with values that may break it. */
const lineFor = (profile: DeviceProfile) => {
	const format =
		profile.format.type === 'pairs'
			? profile.format
			: {type: 'pairs', assign: ':', separators: ','};
	const value = (field: Field) =>
		field.type === 'number'
			? fc.oneof(
					fc.double({min: -60, max: 60, noNaN: true}).map(String),
					// The range's ends (-50..50) and just past them.
					fc.constantFrom(
						'1e1',
						'',
						'-',
						'.5',
						'5.',
						'+3',
						'0x1',
						'50',
						'-50.0',
						'50.001',
						'-50.01',
					),
				)
			: fc.oneof(
					fc.constantFrom(...field.levels.map((known) => known.value)),
					fc
						.constantFrom(...field.levels.map((known) => known.value))
						.map((text) => `${text}_R1`),
					fc.constantFrom('', 'x', 'OK ', '_'),
				);
	return fc
		.record({
			pairs: fc.tuple(
				...profile.fields.map((field) =>
					fc
						.tuple(fc.constantFrom(...format.assign), value(field))
						.map(([assign, text]) => `${field.key}${assign}${text}`),
				),
			),
			joint: fc.constantFrom(...format.separators),
			shuffle: fc.boolean(),
		})
		.map(({pairs, joint, shuffle}) =>
			(shuffle ? pairs.toReversed() : pairs).join(joint),
		);
};

test("property: the pairs fast path gives parse()'s reading wherever it gives one, for random profiles", (t) => {
	let fast = 0;
	fc.assert(
		fc.property(
			pairsProfile.chain((profile) =>
				fc.tuple(
					fc.constant(profile),
					fc.array(lineFor(profile), {maxLength: 8}),
				),
			),
			([profile, lines]) => {
				const codec = compileCodec(profile, 1024);
				const general = compileCodec(profile, 1024, {inPlace: false});
				for (const line of lines) {
					const bytes = Buffer.from(line);
					const reading = codec.readInPlace(bytes, 0, bytes.length);
					const result = general.parse(bytes);
					fast += reading === undefined ? 0 : 1;
					t.deepEqual(
						reading === undefined ? result : {ok: true, reading},
						result,
						`line ${JSON.stringify(line)}`,
					);
				}
			},
		),
		{numRuns: 2000},
	);
	t.true(fast > 100, `the fast path read ${fast} lines`);
});

test('property: the pairs fast path unrolled for its fields reads what its loop reads, for random profiles', (t) => {
	let read = 0;
	fc.assert(
		fc.property(
			pairsProfile.chain((profile) =>
				fc.tuple(
					fc.constant(profile),
					fc.array(lineFor(profile), {maxLength: 8}),
				),
			),
			([profile, lines]) => {
				const unrolled = createPairsInPlace(profile, 1024);
				const loop = createPairsInPlace(profile, 1024, {generate: false});
				t.is(unrolled === undefined, loop === undefined);
				for (const line of lines) {
					const bytes = Buffer.from(`x${line}y`);
					const reading = unrolled?.(bytes, 1, bytes.length - 1);
					read += reading === undefined ? 0 : 1;
					t.deepEqual(
						reading,
						loop?.(bytes, 1, bytes.length - 1),
						`line ${JSON.stringify(line)}`,
					);
				}
			},
		),
		{numRuns: 2000},
	);
	t.true(read > 100, `the fast path read ${read} lines`);
});

const anyProfile = fc.oneof(
	pairsProfile,
	fc.constantFrom(
		profileOf({type: 'json'}, [number('t'), number('env.h', [0, 100])]),
		profileOf({type: 'csv', separator: ',', header: true}, [
			number('temp'),
			number('3'),
		]),
		profileOf({type: 'csv', separator: '\t', header: false}, [number('1')]),
		profileOf({type: 'regex', pattern: String.raw`(?<t>[\d.]+)`}, [
			number('t'),
		]),
	),
);

test('property: any bytes give a reading, a reason or ignored, never a throw, in every format', (t) => {
	const bytes = fc.oneof(
		fc.uint8Array({maxLength: 200}),
		fc.string({maxLength: 60}).map((text) => new Uint8Array(Buffer.from(text))),
		fc
			.constantFrom('{"t":1}', 'temp,x', '1,"2', 'a:1,b=2', '{"env":[1]}')
			.map((text) => new Uint8Array(Buffer.from(text))),
	);
	fc.assert(
		fc.property(
			anyProfile,
			fc.array(bytes, {maxLength: 10}),
			(profile, lines) => {
				const codec = compileCodec(profile, 128);
				const general = compileCodec(profile, 128, {inPlace: false});
				for (const line of lines) {
					const result = general.parse(line);
					const fast = codec.readInPlace(line, 0, line.length);
					t.true(
						(result.ok === true &&
							result.reading.values.length === profile.fields.length) ||
							(result.ok === false && result.reason !== '') ||
							(result.ok === 'ignored' && result.note !== ''),
					);
					t.deepEqual(
						fast === undefined ? result : {ok: true, reading: fast},
						result,
					);
				}
			},
		),
		{numRuns: 3000},
	);
});

const segment = fc.constantFrom('t', 'h', 'env', 'p', 'st', 'x', '__proto__');
const jsonProfile = fc
	.record({
		keys: fc.uniqueArray(
			fc
				.array(segment, {minLength: 1, maxLength: 3})
				.map((path) => path.join('.')),
			{minLength: 1, maxLength: 5},
		),
		kinds: fc.array(fc.boolean(), {minLength: 5, maxLength: 5}),
		optional: fc.array(fc.boolean(), {minLength: 5, maxLength: 5}),
		levels: fc.uniqueArray(levelValue, {minLength: 1, maxLength: 4}),
		prefix: fc.boolean(),
		unknownKeys: fc.constantFrom('ignore' as const, 'error' as const),
	})
	.map(
		({keys, kinds, optional, levels, prefix, unknownKeys}) =>
			({
				name: 'random',
				builtin: false,
				format: {type: 'json'},
				unknownKeys,
				fields: keys.map((fieldKey, index): Field =>
					kinds[index]
						? {...number(fieldKey, [-50, 50]), optional: optional[index]!}
						: {
								type: 'status',
								name: fieldKey.toLowerCase(),
								key: fieldKey,
								label: fieldKey,
								optional: optional[index]!,
								levels: levels.map((value, rank) => ({
									match: prefix ? 'prefix' : 'exact',
									value,
									level: statusLevels[rank % statusLevels.length]!,
								})),
							},
				),
			}) satisfies DeviceProfile,
	);

/** JSON text of values no field declares: every kind, escapes and non-ASCII among them. */
const anyJson = fc.oneof(
	fc.jsonValue({maxDepth: 3}).map((value) => JSON.stringify(value)),
	fc.constantFrom(
		String.raw`"a\"b"`,
		// Unterminated: its escaped quote is no end.
		String.raw`"a\"`,
		String.raw`"\u0041"`,
		'"é"',
		'[1,[2,{"a":[]}]]',
		'{}',
		'[]',
		'1e400',
		'-0',
		'"tab\there"',
		'01',
		'+1',
		'.5',
		'1.',
		'tru',
		'nul',
		'{"a":1,}',
		'[1,]',
		'"open',
	),
);

/** A line for a json profile: mostly an object of its fields, in any order and spacing. */
const jsonLineFor = (profile: DeviceProfile) => {
	const value = (field: Field) =>
		field.type === 'number'
			? fc.oneof(
					fc.double({min: -60, max: 60, noNaN: true}).map(String),
					fc
						.tuple(
							fc.integer({min: -60, max: 60}),
							fc.stringMatching(/^\d{0,6}$/),
						)
						.map(([whole, fraction]) => `${whole}.${fraction}`),
					fc.constantFrom(
						'1e1',
						'-0',
						'-0.0',
						'0.10',
						'1234567890123456',
						'12.34567890123',
						'"23"',
						'null',
						'true',
						'{}',
						'[1]',
						'01',
						'5.',
						'-',
					),
				)
			: fc.oneof(
					fc
						.constantFrom(...field.levels.map((known) => known.value))
						.map((text) => JSON.stringify(text)),
					fc
						.constantFrom(...field.levels.map((known) => known.value))
						.map((text) => JSON.stringify(`${text}_R1`)),
					fc.constantFrom(
						'""',
						'"x"',
						'3',
						'null',
						String.raw`"NORMAL\u005fX"`,
						'["A"]',
					),
				);
	// Each field's member, nested on its path; some left out, one given twice; others added.
	type Node = Map<string, string | Node>;
	return fc
		.record({
			values: fc.tuple(...profile.fields.map((field) => value(field))),
			omit: fc.array(fc.boolean(), {
				minLength: profile.fields.length,
				maxLength: profile.fields.length,
			}),
			extra: fc.array(fc.tuple(segment, anyJson), {maxLength: 2}),
			twice: fc.boolean(),
			again: fc.oneof(fc.constant('null'), anyJson),
			reverse: fc.boolean(),
			space: fc.constantFrom('', ' ', '\t', '  \r'),
			cut: fc.nat({max: 400}),
			mangle: fc.constantFrom('none', 'none', 'none', 'cut', 'wrap'),
		})
		.map(({values, omit, extra, twice, again, reverse, space, cut, mangle}) => {
			const root: Node = new Map();
			for (const [index, field] of profile.fields.entries()) {
				if (omit[index] && index % 2 === 0) {
					continue;
				}

				const path = field.key.split('.');
				let node = root;
				for (const name of path.slice(0, -1)) {
					const inner = node.get(name);
					if (typeof inner === 'object') {
						node = inner;
					} else {
						const fresh: Node = new Map();
						node.set(name, fresh);
						node = fresh;
					}
				}

				node.set(path.at(-1)!, values[index]!);
			}

			for (const [name, text] of extra) {
				if (!root.has(name)) {
					root.set(name, text);
				}
			}

			const write = (node: Node): string => {
				const members = [...node].map(
					([name, member]) =>
						`${space}${JSON.stringify(name)}${space}:${space}${typeof member === 'string' ? member : write(member)}`,
				);
				// JSON.parse keeps the last of a member given twice.
				const [first] = node.keys();
				if (twice && first !== undefined) {
					members.push(`${JSON.stringify(first)}:${again}`);
				}

				return `{${(reverse ? members.toReversed() : members).join(',')}${space}}`;
			};

			const line = `${space}${write(root)}`;
			return mangle === 'cut'
				? line.slice(0, cut % (line.length + 1))
				: mangle === 'wrap'
					? `[${line}]`
					: line;
		});
};

test("property: the json fast path gives JSON.parse's reading wherever it gives one, for random profiles", (t) => {
	let fast = 0;
	let lines = 0;
	fc.assert(
		fc.property(
			jsonProfile.chain((profile) =>
				fc.tuple(
					fc.constant(profile),
					fc.array(jsonLineFor(profile), {maxLength: 8}),
				),
			),
			([profile, texts]) => {
				const codec = compileCodec(profile, 1024);
				const general = compileCodec(profile, 1024, {inPlace: false});
				// Each line also as Latin-1 bytes: é as one byte, which is not UTF-8.
				for (const bytes of texts.flatMap((text) => [
					Buffer.from(text),
					Buffer.from(text, 'latin1'),
				])) {
					const text = bytes.toString('latin1');
					const reading = codec.readInPlace(bytes, 0, bytes.length);
					const result = general.parse(bytes);
					lines++;
					fast += reading === undefined ? 0 : 1;
					t.deepEqual(
						reading === undefined ? result : {ok: true, reading},
						result,
						`line ${JSON.stringify(text)} of ${JSON.stringify(profile)}`,
					);
					// -0 stays -0, as JSON.parse keeps it.
					t.true(
						reading === undefined ||
							(result.ok === true &&
								reading.values.every((value, index) =>
									Object.is(value, result.reading.values[index]),
								)),
					);
				}
			},
		),
		{numRuns: 3000},
	);
});

test('the json lines a device prints are read in place; what JSON.parse must judge is left to it', (t) => {
	const profile = profileOf({type: 'json'}, [
		number('t'),
		number('h', [0, 100]),
		{...number('env.p', [300, 1100]), optional: true},
	]);
	const codec = compileCodec(profile, 256);
	const read = (text: string) => {
		const bytes = Buffer.from(text);
		return codec.readInPlace(bytes, 0, bytes.length);
	};

	t.deepEqual(read('{"t":23.41,"h":45.2,"env":{"p":1013.2}}'), {
		values: [23.41, 45.2, 1013.2],
		level: 'NORMAL',
	});
	t.deepEqual(read(' { "h" : 45 , "t" : -0.5 , "rssi" : [-71, {"ch": 6}] } '), {
		values: [-0.5, 45, undefined],
		level: 'NORMAL',
	});
	t.deepEqual(read('{"t":23,"h":45,"env":{"p":null}}'), {
		values: [23, 45, undefined],
		level: 'NORMAL',
	});
	for (const text of [
		'{"t":2.3e1,"h":45}',
		'{"t":1234567890123456,"h":45}',
		'{"t":23,"h":45,"t":24}',
		'{"t":23,"h":"45"}',
		'{"t":23,"h":145}',
		'{"t":23}',
		String.raw`{"t":23,"h":45,"note":"\u00e9"}`,
		'{"t":23,"h":45,"note":"é"}',
		'{"t":23,"h":45,"env":5}',
		'{"t":023,"h":45}',
		'{"t":23,"h":45,}',
		'{"t":23,"h":45} x',
		'\uFEFF{"t":23,"h":45}',
	]) {
		t.is(read(text), undefined, `line ${text}`);
	}
});
