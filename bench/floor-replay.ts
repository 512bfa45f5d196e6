// The replay floor: the least any replay of a raw.log must do, in plain Node. It reads the
// file in large chunks, splits it into lines, and parses the receive time and the three
// fields of each reading (T, V, S), writing nothing. The bench runs it as plain JavaScript
// (types stripped), so its figure carries no loader cost the CLI does not pay either.
// Usage: node floor-replay.js RAW_LOG   (prints `<lines> <valid readings>` on stdout)
import {closeSync, openSync, readSync} from 'node:fs';
import process from 'node:process';

const path = process.argv[2];
if (!path) {
	throw new Error('usage: floor-replay RAW_LOG');
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
	const fields = text.slice(tab + 1).split(',');
	if (fields.length !== 3) {
		return;
	}

	const [t = '', v = '', s = ''] = fields;
	if (!t.startsWith('T:') || !v.startsWith('V:') || !s.startsWith('S:')) {
		return;
	}

	const temperature = Number(t.slice(2));
	const voltage = Number(v.slice(2));
	if (Number.isFinite(temperature) && Number.isFinite(voltage)) {
		valid++;
		// Used, so the work is not optimised away.
		checksum += temperature + voltage + time + s.length;
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
