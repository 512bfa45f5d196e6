import {Buffer} from 'node:buffer';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import fc from 'fast-check';
import {maxLineBytesLimit} from '../../source/core/config.js';
import {readRawLogBlocks} from '../../source/adapters/raw-log-blocks.js';
import {
	readRawLogRuns,
	type RawLogStart,
} from '../../source/adapters/raw-log-reader.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';

type Read = {
	lines: Array<[line: number, time: number, text: string]>;
	problems: Array<[line: number, reason: string]>;
};

const from = {bytes: 0, lines: 0};

async function byRuns(path: string, start: RawLogStart = from): Promise<Read> {
	const read: Read = {lines: [], problems: []};
	for await (const run of readRawLogRuns(
		path,
		({line, reason}) => {
			read.problems.push([line, reason]);
		},
		start,
	)) {
		for (const {line, time, bytes} of run) {
			read.lines.push([line, time, Buffer.from(bytes).toString('latin1')]);
		}
	}

	return read;
}

async function byBlocks(
	path: string,
	readBytes: number,
	start: RawLogStart = from,
): Promise<Read> {
	const read: Read = {lines: [], problems: []};
	for await (const block of readRawLogBlocks(
		path,
		({line, reason}) => {
			read.problems.push([line, reason]);
		},
		start,
		readBytes,
	)) {
		for (let index = 0; index < block.count; index++) {
			read.lines.push([
				block.lines[index]!,
				block.times[index]!,
				Buffer.from(
					block.bytes.subarray(block.starts[index], block.ends[index]),
				).toString('latin1'),
			]);
		}
	}

	return read;
}

const stamp = fc
	.integer({min: 0, max: 3 * 86_400_000})
	.map((offset) =>
		new Date(Date.parse('2026-03-01T00:00:00.000Z') + offset).toISOString(),
	);
// Lines as raw.log holds them, and lines it should not: a stamp without its tab, a tab
// inside the stamp, a short line, an empty one, a stamp of hour 24, a CR kept as data.
const rawLine = fc.oneof(
	fc
		.tuple(stamp, fc.string({maxLength: 40}))
		.map(([time, text]) => `${time}\t${text.replaceAll('\n', ' ')}`),
	fc
		.tuple(stamp, fc.constantFrom('', 'T:1,V:5,S:NORMAL\r', '\t', 'x\ty'))
		.map(([time, text]) => `${time}\t${text}`),
	fc.constantFrom(
		'',
		'garbage',
		'2026-03-01T00:00:00.000Z',
		'2026-03-01T00:00:00.000ZT:1',
		'2026-03-01T00:00\t00.000Z\tT:1',
		'2026-03-01T24:00:00.000Z\tT:1',
		'2026-13-01T00:00:00.000Z\tT:1',
	),
);

test('property: blocks hold the lines, times, numbers and problems that runs give, whatever the read size', async (t) => {
	const dir = temporaryDirectory(t, 'blocks');
	let file = 0;
	await fc.assert(
		fc.asyncProperty(
			fc.array(rawLine, {maxLength: 40}),
			fc.boolean(),
			fc.integer({min: 1, max: 200}),
			async (lines, endsWithNewline, readBytes) => {
				const path = join(dir, `raw-${file++}.log`);
				writeFileSync(
					path,
					lines.join('\n') + (endsWithNewline && lines.length > 0 ? '\n' : ''),
					'latin1',
				);
				t.deepEqual(await byBlocks(path, readBytes), await byRuns(path));
			},
		),
		{numRuns: 200},
	);
});

test('blocks start where a checkpoint says, numbering on from its line count', async (t) => {
	const path = join(temporaryDirectory(t, 'blocks'), 'raw.log');
	const first = '2026-03-01T00:00:00.000Z\tT:1,V:5,S:NORMAL\n';
	writeFileSync(
		path,
		`${first}2026-03-01T00:00:01.000Z\tT:2,V:5,S:NORMAL\nbad\n2026-03-01T00:00:02.000Z\tT:3`,
	);
	const start = {bytes: first.length, lines: 7};
	const read = await byBlocks(path, 16, start);
	t.deepEqual(read, await byRuns(path, start));
	t.deepEqual(
		read.lines.map(([line]) => line),
		[8, 10],
	);
});

test('both readers stop at endBytes, however much the file has after it: a file appended to is read up to a length fixed before', async (t) => {
	const path = join(temporaryDirectory(t, 'blocks'), 'raw.log');
	const line = (second: number) =>
		`2026-03-01T00:00:0${second}.000Z\tT:${second},V:5,S:NORMAL\n`;
	const history = line(1) + line(2);
	writeFileSync(path, history + line(3) + line(4));
	const cases = [
		{start: {bytes: 0, lines: 0, endBytes: history.length}, lines: [1, 2]},
		{
			start: {bytes: line(1).length, lines: 1, endBytes: history.length},
			lines: [2],
		},
		{
			start: {bytes: history.length, lines: 2, endBytes: history.length},
			lines: [],
		},
	];
	for (const {start, lines} of cases) {
		// eslint-disable-next-line no-await-in-loop -- one file, read case by case
		const [runs, ...blocks] = await Promise.all([
			byRuns(path, start),
			...[1, 7, 1000].map(async (readBytes) =>
				byBlocks(path, readBytes, start),
			),
		]);
		t.deepEqual(
			runs.lines.map(([number]) => number),
			lines,
		);
		for (const read of blocks) {
			t.deepEqual(read, runs);
		}
	}
});

test('a line longer than any config writes is cut there and stays one line, whether it fits a read or not', async (t) => {
	const path = join(temporaryDirectory(t, 'blocks'), 'raw.log');
	const time = '2026-03-01T00:00:00.000Z\t';
	const long = (length: number) => `${time}${'A'.repeat(length)}`;
	writeFileSync(
		path,
		[
			`${time}T:1`,
			long(maxLineBytesLimit + 5000),
			`${time}T:2`,
			long(maxLineBytesLimit),
			long(maxLineBytesLimit - 1),
			long(3 * maxLineBytesLimit),
			long(maxLineBytesLimit + 1),
		].join('\n'),
	);
	const runs = await byRuns(path);
	t.deepEqual(
		runs.lines.map(([line, , text]) => [line, text.length]),
		[
			[1, 3],
			[2, maxLineBytesLimit],
			[3, 3],
			[4, maxLineBytesLimit],
			[5, maxLineBytesLimit - 1],
			[6, maxLineBytesLimit],
			[7, maxLineBytesLimit],
		],
	);
	for (const readBytes of [1000, 300_000, 1024 * 1024, 3 * 1024 * 1024]) {
		// eslint-disable-next-line no-await-in-loop -- one read size after the other
		t.deepEqual(await byBlocks(path, readBytes), runs, `reads of ${readBytes}`);
	}
});
