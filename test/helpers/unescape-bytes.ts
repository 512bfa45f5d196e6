// The inverse of parser_errors.log's escaping (escapeBytes): `\xNN` is the byte NN, `\\` a
// backslash, and every other character its UTF-8 bytes. Anything else after a backslash
// is no escape the log writes: it throws, so a test sees it rather than a near match.
import {Buffer} from 'node:buffer';

export function unescapeBytes(text: string): Uint8Array {
	const parts: Uint8Array[] = [];
	let plainStart = 0;
	let index = 0;
	const takePlain = () => {
		parts.push(Buffer.from(text.slice(plainStart, index), 'utf8'));
	};

	while (index < text.length) {
		if (text[index] !== '\\') {
			index++;
			continue;
		}

		takePlain();
		const next = text[index + 1];
		if (next === '\\') {
			parts.push(Uint8Array.of(0x5c));
			index += 2;
		} else if (
			next === 'x' &&
			/^[\da-f]{2}$/.test(text.slice(index + 2, index + 4))
		) {
			parts.push(
				Uint8Array.of(Number.parseInt(text.slice(index + 2, index + 4), 16)),
			);
			index += 4;
		} else {
			throw new Error(
				`not an escape at ${index} of ${JSON.stringify(text.slice(index, index + 6))}`,
			);
		}

		plainStart = index;
	}

	takePlain();
	return Buffer.concat(parts);
}
