// What a noisy line or a wrong baud rate delivers, as one reproducible byte stream: random
// bytes cut by newlines now and then, with the bytes that are dangerous or awkward to log
// mixed in (terminal escapes, NULs, invalid UTF-8, bidi and zero-width characters, stray
// CRs, literal backslash escapes) and a few valid lines, so the CSV gets rows too.
import {Buffer} from 'node:buffer';
import {createPrng} from '../../source/core/scenarios/random.js';

const awkward: readonly Uint8Array[] = [
	// Terminal escapes: clear screen, colour, alternate screen, a title (OSC ... BEL).
	'\u001B[2J',
	'\u001B[31m',
	'\u001B[?1049h',
	'\u001B]0;pwned\u0007',
	// C1 CSI, as UTF-8.
	'\u009B',
	// Bidi override and isolates, zero-width space, BOM, line separator (Trojan Source).
	'\u202E',
	'\u2066',
	'\u2069',
	'\u200B',
	'\uFEFF',
	'\u2028',
	// Literal text that looks like the log's own escapes.
	String.raw`\x41`,
	String.raw`\\`,
	'\\',
	'\t',
	'\r',
	'\r\n',
	'\n',
	'T:25.0,V:5.0,S:NORMAL',
	'é€😀',
].map((text) => Buffer.from(text, 'utf8'));

const invalidUtf8: readonly Uint8Array[] = [
	[0xff],
	[0xfe, 0xfe],
	// A lone C1 CSI byte, an overlong slash, a UTF-16 surrogate, past U+10FFFF, a cut sequence.
	[0x9b],
	[0xc0, 0xaf],
	[0xed, 0xa0, 0x80],
	[0xf4, 0x90, 0x80, 0x80],
	[0xe2, 0x82],
	[0x00, 0x00, 0x00, 0x00],
].map((bytes) => Uint8Array.from(bytes));

/** The line the stream ends with: once raw.log ends with it, every byte before it is in. */
export const garbageEnd = 'END OF GARBAGE';

/** About `size` bytes (a little more: the last piece and the end line), the same for a seed. */
export function garbageBytes(seed: number, size: number): Uint8Array {
	const random = createPrng(seed);
	const out = new Uint8Array(size + 8192);
	let length = 0;
	const put = (bytes: Uint8Array) => {
		out.set(bytes, length);
		length += bytes.length;
	};

	while (length < size) {
		const roll = random();
		if (roll < 0.6) {
			// Plain noise, newlines included (1 in 256): lines of a few hundred bytes.
			const count = 1 + Math.floor(random() * 400);
			for (let index = 0; index < count; index++) {
				out[length++] = Math.floor(random() * 256);
			}
		} else if (roll < 0.62) {
			// Past max_line_bytes without a newline: the monitor cuts it.
			const count = 1024 + Math.floor(random() * 3000);
			for (let index = 0; index < count; index++) {
				out[length++] = 0x20 + Math.floor(random() * 0x5f);
			}
		} else if (roll < 0.8) {
			put(awkward[Math.floor(random() * awkward.length)]!);
		} else if (roll < 0.95) {
			put(invalidUtf8[Math.floor(random() * invalidUtf8.length)]!);
		} else {
			put(Uint8Array.of(0x0a));
		}
	}

	put(Buffer.from(`\n${garbageEnd}\n`));
	return out.slice(0, length);
}
