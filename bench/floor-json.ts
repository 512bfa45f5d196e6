// The floor of a declared `json` device's replay: what any replay of its raw.log must do, in
// plain Node. It reads the file in large chunks, splits it into lines, parses the receive
// time and runs JSON.parse on each line's text, counting the lines that are an object;
// it writes nothing. Run as plain JavaScript, as floor-replay.ts is.
// Usage: node floor-json.js RAW_LOG   (prints `<lines> <valid readings>` on stdout)
import {closeSync, openSync, readSync} from 'node:fs';
import process from 'node:process';

const path = process.argv[2];
if (!path) {
	throw new Error('usage: floor-json RAW_LOG');
}

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
	let value: unknown;
	try {
		value = JSON.parse(text.slice(tab + 1));
	} catch {
		return;
	}

	if (typeof value === 'object' && value !== null) {
		valid++;
		// Used, so the work is not optimised away.
		checksum += time + Object.keys(value).length;
	}
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
