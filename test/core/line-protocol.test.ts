import test from 'ava';
import fc from 'fast-check';
import type {DeviceProfile} from '../../source/core/device-profile.js';
import {
	incidentPoint,
	point,
	readingPoint,
} from '../../source/core/line-protocol.js';
import {builtin, builtinReading} from '../helpers/builtin-reading.js';

// A reader of line protocol as InfluxDB's scanner reads it: a backslash takes the next
// character with it; a separator ends a part, except inside a string field's quotes, which
// count only in a field's value (names and tag values may hold a literal `"`): from part
// `quotesFrom` on, or past the part's first `=` if quotesFrom is `=`.
function splitUnescaped(
	text: string,
	separator: string,
	quotesFrom: number | '=',
): string[] {
	const parts: string[] = [];
	let current = '';
	let quoted = false;
	let equals = false;
	for (let index = 0; index < text.length; index++) {
		const char = text[index]!;
		if (char === '\\' && index + 1 < text.length) {
			current += char + text[index + 1]!;
			index++;
		} else if (
			char === '"' &&
			(quotesFrom === '=' ? equals : parts.length >= quotesFrom)
		) {
			quoted = !quoted;
			current += char;
		} else if (char === separator && !quoted) {
			parts.push(current);
			current = '';
			equals = false;
		} else {
			equals ||= char === '=';
			current += char;
		}
	}

	parts.push(current);
	return parts;
}

function unescape(text: string): string {
	return text.replaceAll(/\\([ ,=\\])/g, '$1');
}

function unescapeString(text: string): string {
	return text.replaceAll(/\\(["\\])/g, '$1');
}

function parse(line: string) {
	// The key ends at the first unescaped space, the time follows the last space.
	const [head = ''] = splitUnescaped(line, ' ', Infinity);
	const fields = line.slice(head.length + 1, line.lastIndexOf(' '));
	const time = line.slice(line.lastIndexOf(' ') + 1);
	const [measurement = '', ...tags] = splitUnescaped(head, ',', Infinity);
	return {
		measurement: unescape(measurement),
		tags: tags.map((tag) =>
			splitUnescaped(tag, '=', Infinity).map((x) => unescape(x)),
		),
		fields: splitUnescaped(fields, ',', '=').map((field) => {
			const [key = '', value = ''] = splitUnescaped(field, '=', 1);
			return [
				unescape(key),
				value.startsWith('"') ? unescapeString(value.slice(1, -1)) : value,
			];
		}),
		time,
	};
}

// The characters line protocol treats specially, often, among any others.
const anyText = fc.string({
	unit: fc.oneof(
		fc.constantFrom(' ', ',', '=', '\\', '"', '\n', '\r', 'a'),
		fc.string({unit: 'binary', minLength: 1, maxLength: 1}),
	),
	minLength: 1,
	maxLength: 20,
});
const noNewline = (text: string) => text.replaceAll(/[\r\n]/g, ' ');

test('any names, tag values and string fields read back as written (newlines as spaces)', (t) => {
	fc.assert(
		fc.property(
			fc.record({
				measurement: anyText,
				tagKey: anyText,
				tagValue: anyText,
				fieldKey: anyText,
				text: anyText,
			}),
			({measurement, tagKey, tagValue, fieldKey, text}) => {
				fc.pre(tagKey !== 'port' && fieldKey !== 'n');
				const line = point(
					measurement,
					{[tagKey]: tagValue, port: 'a'},
					{[fieldKey]: text, n: 1.5},
					1000,
				);
				t.truthy(line);
				const read = parse(line!);
				t.is(read.measurement, noNewline(measurement));
				t.deepEqual(read.tags[0], [noNewline(tagKey), noNewline(tagValue)]);
				t.deepEqual(read.fields, [
					[noNewline(fieldKey), noNewline(text)],
					['n', '1.5'],
				]);
				t.is(read.time, '1000');
				t.false(line!.includes('\n'));
			},
		),
	);
});

test('a reading is one serialwatch point with its tags, three fields and milliseconds', (t) => {
	t.is(
		readingPoint(
			builtin,
			{port: '/dev/tty USB0', device: 'oven,1'},
			1_700_000_000_123,
			builtinReading({
				temperature: 85.5,
				voltage: 5,
				status: 'WARNING_TEMP',
				level: 'WARNING',
			}),
		),
		String.raw`serialwatch,port=/dev/tty\ USB0,device=oven\,1 temperature=85.5,voltage=5,status="WARNING_TEMP" 1700000000123`,
	);
});

const number = (name: string, unit = '') =>
	({
		type: 'number',
		name,
		key: name,
		label: name,
		unit,
		range: [-1000, 1000],
		decimals: 1,
		optional: false,
		metric: undefined,
	}) as const;

const greenhouse: DeviceProfile = {
	name: 'greenhouse-3',
	builtin: false,
	format: {type: 'pairs', assign: ':=', separators: ','},
	unknownKeys: 'ignore',
	fields: [
		number('temperature', '°C'),
		{...number('humidity', '%'), optional: true},
		{
			type: 'status',
			name: 'state',
			key: 'st',
			label: 'State',
			optional: false,
			levels: [{match: 'exact', value: 'HOT', level: 'WARNING'}],
		},
	],
};

test("a declared device's reading: a field per declared field, numbers as floats, the status as text and the level beside it", (t) => {
	t.is(
		readingPoint(greenhouse, {port: 'p', device: 'greenhouse-3'}, 5, {
			values: [23, 45.5, 'HOT'],
			level: 'WARNING',
		}),
		'serialwatch,port=p,device=greenhouse-3 temperature=23,humidity=45.5,state="HOT",level="WARNING" 5',
	);
	// An optional field the line did not hold is no field of the point.
	t.is(
		readingPoint(greenhouse, {port: 'p', device: 'g'}, 5, {
			values: [23, undefined, 'HOT'],
			level: 'WARNING',
		}),
		'serialwatch,port=p,device=g temperature=23,state="HOT",level="WARNING" 5',
	);
	// Without a status field there is no level to tell; a field called level keeps its own value.
	const plain = {
		...greenhouse,
		fields: [number('temperature'), number('level')],
	};
	t.is(
		readingPoint(plain, {port: 'p', device: 'g'}, 5, {
			values: [1.5, 2],
			level: 'NORMAL',
		}),
		'serialwatch,port=p,device=g temperature=1.5,level=2 5',
	);
});

test('non-finite numbers and empty tags are left out; a point without fields is none', (t) => {
	t.is(
		point('m', {a: '', b: 'x'}, {v: Number.NaN, w: 2, i: {integer: 3}}, 5),
		'm,b=x w=2,i=3i 5',
	);
	t.is(point('m', {}, {v: Number.POSITIVE_INFINITY, w: null}, 5), undefined);
});

test('an incident event: rule, severity and event as tags; a status peak in its own field', (t) => {
	const line = incidentPoint(
		{port: 'demo', device: 'demo'},
		{
			event: 'fired',
			at: '2026-01-01T00:00:01.000Z',
			incident: {
				timestamp: '2026-01-01T00:00:00.000Z',
				type: 'DEVICE_STATUS',
				severity: 'CRITICAL',
				description: 'device says "FAULT"',
				id: 'abc',
				end: null,
				value: 'FAULT',
				peak: 'FAULT',
				threshold: null,
				readings: 2,
				first_line: 7,
				last_line: 8,
			},
		},
	);
	t.is(
		line,
		String.raw`serialwatch_incident,port=demo,device=demo,rule=DEVICE_STATUS,severity=CRITICAL,event=fired id="abc",description="device says \"FAULT\"",started="2026-01-01T00:00:00.000Z",value_text="FAULT",peak_text="FAULT",readings=2i,first_line=7i,last_line=8i 1767225601000`,
	);
});
