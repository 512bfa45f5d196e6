// The floor of a declared `pairs` device's replay: what any replay of its raw.log must do, in
// plain Node. It reads the file in large chunks, splits it into lines, parses the receive
// time, splits the line into its `key:value` parts and takes Number() of each value, counting
// the lines whose six values are all numbers; it writes nothing. Run as plain JavaScript,
// as floor-replay.ts is.
// Usage: node floor-pairs.js RAW_LOG   (prints `<lines> <valid readings>` on stdout)
import {closeSync, openSync, readSync} from 'node:fs';
import process from 'node:process';

const path = process.argv[2];
if (!path) {
	throw new Error('usage: floor-pairs RAW_LOG');
}

const fieldCount = 6;
const fd = openSync(path, 'r');
const chunk = new Uint8Array(1024 * 1024);
const decoder = new TextDecoder('latin1');
let rest = '';
let lines = 0;
let valid = 0;
let checksum = 0;

const parseLine = (text: string) => {
	lines++;
	const tab = text.indexOf('\t');
	const time = Date.parse(text.slice(0, tab));
	const parts = text.slice(tab + 1).split(',');
	if (parts.length !== fieldCount) {
		return;
	}

	let sum = 0;
	for (const part of parts) {
		const colon = part.indexOf(':');
		if (colon <= 0) {
			return;
		}

		const value = Number(part.slice(colon + 1));
		if (!Number.isFinite(value)) {
			return;
		}

		sum += value + colon;
	}

	valid++;
	// Used, so the work is not optimised away.
	checksum += sum + time;
};

for (;;) {
	const read = readSync(fd, chunk, 0, chunk.length, null);
	if (read === 0) {
		break;
	}

	const text = rest + decoder.decode(chunk.subarray(0, read));
	let start = 0;
	for (
		let end = text.indexOf('\n', start);
		end !== -1;
		end = text.indexOf('\n', start)
	) {
		parseLine(text.slice(start, end));
		start = end + 1;
	}

	rest = text.slice(start);
}

if (rest.length > 0) {
	parseLine(rest);
}

closeSync(fd);
process.stdout.write(`${lines} ${valid} ${checksum > 0 ? 'ok' : 'empty'}\n`);
