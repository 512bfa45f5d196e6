// Inferring a device from its lines: each shipped example played by its tour gives back
// its format, keys, types and units; the written section loads through config.ts and its
// codec reads every line the example's codec reads; garbage is refused.
import {Buffer} from 'node:buffer';
import test, {type ExecutionContext} from 'ava';
import fc from 'fast-check';
import {loadConfig} from '../../source/adapters/config-file.js';
import {checkPattern, compileCodec} from '../../source/core/codec.js';
import {
	detectorSettings,
	deviceProfile,
	parseConfig,
} from '../../source/core/config.js';
import type {
	DeviceProfile,
	Field,
	FieldValue,
} from '../../source/core/device-profile.js';
import {createScenario} from '../../source/core/emulator.js';
import {levelsOf} from '../../source/core/inference/status-words.js';
import {deviceSectionText} from '../../source/core/profile-config-text.js';
import {
	inferProfile,
	type Inference,
} from '../../source/core/profile-inference.js';
import type {DetectorSettings} from '../../source/core/rule-spec.js';
import {
	formatNumber,
	linePrinter,
} from '../../source/core/scenarios/profile-line.js';

type Inferred = Extract<Inference, {ok: true}>;

const examples = ['arduino-plotter', 'dht22', 'esp32-json', 'csv'] as const;
const encoder = new TextEncoder();
const bytesOf = (lines: readonly string[]) =>
	lines.map((line) => encoder.encode(line));

function exampleSettings(name: string): DetectorSettings {
	return detectorSettings(loadConfig(`examples/${name}.yaml`));
}

/** The lines `emulate` sends for these settings' tour, terminators removed. */
function tourLines(settings: DetectorSettings, seed = 42): Uint8Array[] {
	const steps = createScenario(
		{name: 'tour', settings},
		{
			seed,
			heartbeatTimeoutS: settings.heartbeat_timeout_s,
			thresholds: loadConfig('config.yaml').thresholds,
			rateHz: 10,
		},
	);
	return [...steps].flatMap((step) =>
		step.kind === 'line' ? [step.bytes] : [],
	);
}

/** The written section, in a config of its own, loaded as the monitor loads it. */
function loadedProfile(inference: Inferred): DeviceProfile {
	return deviceProfile(
		parseConfig(deviceSectionText(inference), 'inferred.yaml'),
	);
}

function assertOk(
	t: {fail(message: string): void},
	inference: Inference,
): asserts inference is Inferred {
	if (!inference.ok) {
		t.fail(inference.reason);
		throw new Error(inference.reason);
	}
}

/** The field of `inferred` that holds what `field` of the example holds. */
function counterpart(
	inferred: DeviceProfile,
	example: DeviceProfile,
	field: Field,
): Field | undefined {
	// A regex example's keys are its group names, which the inference names from the labels.
	return example.format.type === 'regex'
		? inferred.fields.find((other) => other.name === field.name)
		: inferred.fields.find((other) => other.key === field.key);
}

function checkExample(
	t: ExecutionContext,
	example: DeviceProfile,
	lines: readonly Uint8Array[],
) {
	const inference = inferProfile(lines);
	assertOk(t, inference);
	const {profile} = inference;
	t.is(profile.format.type, example.format.type);
	if (example.format.type === 'csv' && profile.format.type === 'csv') {
		t.is(profile.format.separator, example.format.separator);
		t.is(profile.format.header, example.format.header);
	}

	t.deepEqual(
		loadedProfile(inference),
		profile,
		'the written section loads as the inferred profile',
	);
	t.true(deviceSectionText(inference).includes('# rules:'));

	const exampleCodec = compileCodec(example, 1024);
	const inferredCodec = compileCodec(profile, 1024);
	let read = 0;
	let refused = 0;
	let outOfRange = 0;
	for (const line of lines) {
		const expected = exampleCodec.parse(line);
		const got = inferredCodec.parse(line);
		if (expected.ok === false) {
			refused++;
			// The example's ranges are the sensor's; the inferred ones are what was seen, widened.
			if (got.ok !== false) {
				t.regex(expected.reason, /out of physical range/);
				outOfRange++;
			}

			continue;
		}

		read++;
		if (got.ok === false) {
			t.fail(`${Buffer.from(line).toString()}: ${got.reason}`);
			continue;
		}

		if (expected.ok !== true || got.ok !== true) {
			t.is(got.ok, expected.ok);
			continue;
		}

		for (const [index, field] of example.fields.entries()) {
			const other = counterpart(profile, example, field)!;
			const value: FieldValue =
				got.reading.values[profile.fields.indexOf(other)];
			t.is(
				value,
				expected.reading.values[index],
				`${field.name} in ${Buffer.from(line).toString()}`,
			);
		}
	}

	t.true(read > 500);
	t.is(
		inference.matched,
		read + outOfRange,
		'matched: the lines the example reads',
	);
	t.is(inference.unmatched.count, refused - outOfRange);
	t.true(outOfRange <= 5);
	t.true(inference.unmatched.examples.length > 0);
	for (const example of inference.unmatched.examples) {
		t.false(/\p{Cc}/u.test(example), example);
	}

	for (const field of example.fields) {
		const other = counterpart(profile, example, field);
		t.truthy(other, `a field for ${field.name}`);
		if (other === undefined) {
			continue;
		}

		t.is(other.type, field.type, field.name);
		const seen = inference.fields[profile.fields.indexOf(other)]!;
		t.true(seen.samples > 0);
		if (field.type === 'number' && other.type === 'number') {
			// Units only where the line shows them: a regex device's text.
			t.is(
				other.unit,
				example.format.type === 'regex' ? field.unit : '',
				field.name,
			);
			t.true(other.range[0] <= seen.min! && seen.max! <= other.range[1]);
		}
	}

	return inference;
}

for (const name of examples) {
	test(`examples/${name}.yaml played by its tour is inferred back: format, keys, types, units; every line it reads is read`, (t) => {
		const settings = exampleSettings(name);
		checkExample(t, settings.profile, tourLines(settings));
	});
}

test('a CSV device that prints a header line is inferred with header: true and its columns named', (t) => {
	const settings = exampleSettings('csv');
	const profile: DeviceProfile = {
		...settings.profile,
		format: {type: 'csv', separator: ';', header: true},
		fields: settings.profile.fields.map((field) => ({
			...field,
			key: field.name,
		})),
	};
	const inference = checkExample(t, profile, tourLines({...settings, profile}));
	t.deepEqual(
		inference.fields.map((field) => field.name),
		['temperature', 'humidity', 'pressure'],
	);
});

test('the DHT library line is inferred as a regex: one named group per number, units, the text kept literal', (t) => {
	const lines = [
		'Humidity: 45.00%  Temperature: 23.00°C 73.40°F  Heat index: 23.10°C 73.60°F',
		'Humidity: 44.80%  Temperature: 23.10°C 73.58°F  Heat index: 23.20°C 73.76°F',
		'Humidity: 44.90%  Temperature: -3.10°C 26.42°F  Heat index: -4.20°C 24.44°F',
	];
	const inference = inferProfile(bytesOf(lines));
	assertOk(t, inference);
	const {format} = inference.profile;
	t.is(format.type, 'regex');
	const pattern = format.type === 'regex' ? format.pattern : '';
	t.is(
		checkPattern(
			pattern,
			inference.profile.fields.map((field) => field.key),
		),
		undefined,
	);
	t.true(pattern.startsWith('^Humidity:'));

	t.deepEqual(
		inference.fields.map((field) => [
			field.name,
			field.unit,
			field.min,
			field.max,
		]),
		[
			['humidity', '%', 44.8, 45],
			['temperature', '°C', -3.1, 23.1],
			['temperature_f', '°F', 26.42, 73.58],
			['heat_index', '°C', -4.2, 23.2],
			['heat_index_f', '°F', 24.44, 73.76],
		],
	);
	t.is(inference.matched, 3);
	t.deepEqual(loadedProfile(inference), inference.profile);
});

test('a regex text is escaped: characters special to RE2 in the layout are matched as themselves', (t) => {
	const lines = Array.from(
		{length: 20},
		(_, index) => `[node.1] (load) ${index}.5 + temp* ${20 + index} | ok?`,
	);
	const inference = inferProfile(bytesOf(lines));
	assertOk(t, inference);
	t.is(inference.profile.format.type, 'regex');
	t.is(inference.matched, 20);
	const codec = compileCodec(inference.profile, 1024);
	t.false(
		codec.parse(encoder.encode('[nodeX1] (load) 1.5 + temp* 2 | ok?')).ok,
	);
});

test('pairs with = and the separators the lines use; a status field by its words', (t) => {
	const words = [
		'OK',
		'WARN_HOT',
		'ERROR',
		'DOWN',
		'WARNING_TEMP',
		'idle',
		'BUSY',
	];
	const lines = Array.from(
		{length: 70},
		(_, index) =>
			`temp=${(20 + (index % 7) / 10).toFixed(1)}; volts=${(5 + index / 100).toFixed(2)}; state=${words[index % words.length]!}`,
	);
	const inference = inferProfile(bytesOf(lines));
	assertOk(t, inference);
	t.like(inference.device, {format: 'pairs', assign: '=', separators: '; '});
	const state = inference.device.fields?.find(
		(field) => field.name === 'state',
	);
	t.deepEqual(state?.levels, {
		OK: 'NORMAL',
		idle: 'NORMAL',
		BUSY: 'NORMAL',
		'WARN_*': 'WARNING',
		'WARNING_*': 'WARNING',
		ERROR: 'CRITICAL',
		DOWN: 'OFFLINE',
	});
	t.true(deviceSectionText(inference).includes('BUSY: no level recognised'));
	t.is(inference.matched, 70);
	t.deepEqual(loadedProfile(inference), inference.profile);
});

test('status words map to levels: OK/NORMAL/GOOD/IDLE, WARN*, CRIT*/ERR*/FAIL*/ALARM, OFFLINE/DOWN; LEVEL_REASON by prefix', (t) => {
	const levels = levelsOf([
		'GOOD',
		'ALARM',
		'FAIL',
		'CRITICAL_OVERVOLT',
		'CRITICAL_TEMP',
		'OFFLINE',
		'MODE_A',
	]);
	t.deepEqual(
		levels.map((level) => [
			level.value,
			level.match,
			level.level,
			level.guessed,
		]),
		[
			['GOOD', 'exact', 'NORMAL', false],
			['MODE_A', 'exact', 'NORMAL', true],
			['CRITICAL', 'prefix', 'CRITICAL', false],
			['ALARM', 'exact', 'CRITICAL', false],
			['FAIL', 'exact', 'CRITICAL', false],
			['OFFLINE', 'exact', 'OFFLINE', false],
		],
	);
});

test('JSON: nested objects read as dotted keys; a member in some lines only is optional', (t) => {
	const lines = Array.from({length: 40}, (_, index) =>
		JSON.stringify({
			env: {t: 20 + index / 10, h: 40 + (index % 5)},
			up: index,
			...(index % 3 === 0 ? {st: 'OK'} : {}),
			fw: 'v1.2',
		}),
	);
	const inference = inferProfile(bytesOf(lines));
	assertOk(t, inference);
	t.deepEqual(
		inference.fields.map((field) => [
			field.key,
			field.name,
			field.type,
			field.always,
		]),
		[
			['env.t', 'env_t', 'number', true],
			['env.h', 'env_h', 'number', true],
			['up', 'up', 'number', true],
			['st', 'st', 'status', false],
			['fw', 'fw', 'status', true],
		],
	);
	t.true(
		inference.device.fields?.find((field) => field.key === 'st')?.optional,
	);
	t.deepEqual(loadedProfile(inference), inference.profile);
});

test('a minority of damaged lines: the majority shape wins, the others are counted and shown escaped', (t) => {
	const lines = Array.from({length: 1200}, (_, index) =>
		index % 12 === 5
			? Uint8Array.from([0x1b, 0x5b, 0x32, 0x4a, 0xff, 0x00, 0x41])
			: encoder.encode(
					`${(20 + Math.sin(index) * 3).toFixed(2)},${(1000 + (index % 9)).toFixed(1)}`,
				),
	);
	const inference = inferProfile(lines);
	assertOk(t, inference);
	t.is(inference.profile.format.type, 'csv');
	t.is(inference.matched, 1100);
	t.is(inference.unmatched.count, 100);
	t.deepEqual(inference.unmatched.examples, [String.raw`\x1b[2J\xff\x00A`]);
});

test('random bytes are no line protocol: refused, with the lines counted and the printable share', (t) => {
	let seed = 7;
	const random = () => {
		seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
		return seed / 2_147_483_648;
	};

	const bytes = Uint8Array.from({length: 60_000}, () =>
		Math.floor(random() * 256),
	);
	const lines = splitLines(bytes);
	const inference = inferProfile(lines);
	t.like(inference, {
		ok: false,
		reason: `no line-oriented protocol recognised in ${lines.length.toLocaleString('en-US')} lines`,
	});
	const share = inference.ok ? Number.NaN : inference.printableShare;
	t.true(share > 0.2 && share < 0.6, `printable share ${share}`);
});

test('a text device read at the wrong baud rate is refused (a UART decoding 9600 baud at 115200, and the reverse)', (t) => {
	const settings = exampleSettings('dht22');
	const sent = Buffer.concat(
		tourLines(settings)
			.slice(0, 600)
			.flatMap((line) => [line, Buffer.from('\r\n')]),
	);
	for (const [sentBaud, readBaud] of [
		[9600, 115_200],
		[115_200, 9600],
		[9600, 14_400],
	] as const) {
		const received = misframed(sent, sentBaud, readBaud);
		const lines = splitLines(received);
		const inference = inferProfile(lines);
		t.false(
			inference.ok,
			`${sentBaud} read at ${readBaud}: ${lines.length} lines`,
		);
		t.regex(
			inference.ok ? '' : inference.reason,
			/^no line-oriented protocol recognised in [\d,]+ lines?$/,
		);
	}
});

test('lines of text with no common shape are refused', (t) => {
	const lines = Array.from({length: 1500}, (_, index) =>
		`${'abcdefghij'.slice(index % 7)} ${index % 3 === 0 ? '#' : '!'}${'xyz'.repeat(index % 5)} ${index}`.slice(
			0,
			5 + (index % 13),
		),
	);
	t.like(inferProfile(bytesOf(lines)), {
		ok: false,
		reason: 'no line-oriented protocol recognised in 1,500 lines',
		printableShare: 1,
	});
});

const identifier = fc.stringMatching(/^[a-z][a-z\d]{0,5}$/);
const statusWords = ['OK', 'WARN', 'FAULT', 'DOWN', 'IDLE', 'HOT'];

/** A declared device of 1 to 5 fields, in pairs, json or csv, with its fields' keys. */
const declaredProfile = fc
	.record({
		format: fc.constantFrom<Array<DeviceProfile['format']>>(
			{type: 'pairs', assign: ':', separators: ','},
			{type: 'pairs', assign: '=', separators: ' '},
			{type: 'json'},
			{type: 'csv', separator: ',', header: false},
			{type: 'csv', separator: ';', header: true},
			{type: 'csv', separator: '\t', header: false},
		),
		keys: fc.uniqueArray(identifier, {minLength: 1, maxLength: 5}),
		kinds: fc.array(fc.constantFrom('number', 'number', 'status'), {
			minLength: 5,
			maxLength: 5,
		}),
		decimals: fc.array(fc.integer({min: 0, max: 3}), {
			minLength: 5,
			maxLength: 5,
		}),
	})
	.map(({format, keys, kinds, decimals}): DeviceProfile => {
		const csvColumns = format.type === 'csv' && !format.header;
		return {
			name: 'random',
			builtin: false,
			format,
			unknownKeys: 'ignore',
			fields: keys.map((key, index): Field => {
				const fieldKey = csvColumns ? String(index + 1) : key;
				// At least one number: columns and layouts are told by their numbers.
				return kinds[index] === 'status' && index > 0
					? {
							type: 'status',
							name: key,
							key: fieldKey,
							label: key,
							optional: false,
							levels: [],
						}
					: {
							type: 'number',
							name: key,
							key: fieldKey,
							label: key,
							unit: '',
							range: [-1000, 1000],
							decimals: decimals[index]!,
							optional: false,
							metric: undefined,
						};
			}),
		};
	});

test('a random declared device: its printed lines are inferred back to the same format, keys and types', (t) => {
	fc.assert(
		fc.property(
			declaredProfile,
			fc.array(fc.double({min: -999, max: 999, noNaN: true}), {
				minLength: 30,
				maxLength: 30,
			}),
			fc.nat(),
			(profile, values, shift) => {
				const printer = linePrinter(profile);
				const lines = values.map((value, line) =>
					printer.line(
						profile.fields.map((field, index) =>
							field.type === 'number'
								? formatNumber(value + index * 7.5, field.decimals)
								: statusWords[(line + shift + index) % statusWords.length]!,
						),
					),
				);
				if (printer.header !== undefined) {
					lines.unshift(printer.header);
				}

				const inference = inferProfile(bytesOf(lines));
				const got = inference.ok
					? {
							format: inference.profile.format.type,
							fields: inference.profile.fields.map((field) => [
								field.key,
								field.type,
							]),
							matched: inference.matched,
						}
					: inference.reason;
				t.deepEqual(
					got,
					{
						format: profile.format.type,
						fields: profile.fields.map((field) => [field.key, field.type]),
						matched: lines.length,
					},
					`${lines.slice(0, 3).join('\n')}`,
				);
			},
		),
		{numRuns: 150},
	);
});

test('no lines at all are refused', (t) => {
	t.like(inferProfile([]), {ok: false, total: 0, printableShare: 0});
});

/** A line splitter as the monitor's: LF, CR or CRLF end a line. */
function splitLines(bytes: Uint8Array): Uint8Array[] {
	const lines: Uint8Array[] = [];
	let start = 0;
	for (let index = 0; index < bytes.length; index++) {
		if (bytes[index] === 0x0a || bytes[index] === 0x0d) {
			lines.push(bytes.subarray(start, index));
			if (bytes[index] === 0x0d && bytes[index + 1] === 0x0a) {
				index++;
			}

			start = index + 1;
		}
	}

	return lines;
}

/**
 * What a UART set to readBaud receives from one sending 8N1 at sentBaud: the line idles
 * high; a falling edge starts a frame, sampled at the middle of each of its bit times.
 */
function misframed(
	bytes: Uint8Array,
	sentBaud: number,
	readBaud: number,
): Uint8Array {
	const sentBit = 1 / sentBaud;
	const level = (time: number) => {
		const bit = Math.floor(time / sentBit);
		const frame = Math.floor(bit / 10);
		const position = bit % 10;
		if (frame >= bytes.length) {
			return 1;
		}

		return position === 0
			? 0
			: position === 9
				? 1
				: Math.floor(bytes[frame]! / 2 ** (position - 1)) % 2;
	};

	const end = (bytes.length * 10 + 10) * sentBit;
	const readBit = 1 / readBaud;
	const step = Math.min(sentBit, readBit) / 8;
	const received: number[] = [];
	let time = 0;
	while (time < end) {
		if (level(time) === 1) {
			time += step;
			continue;
		}

		let byte = 0;
		for (let bit = 0; bit < 8; bit++) {
			byte += level(time + (bit + 1.5) * readBit) * 2 ** bit;
		}

		received.push(byte);
		time += 9.5 * readBit;
	}

	return Uint8Array.from(received);
}
