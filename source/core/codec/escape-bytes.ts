// Device bytes as text a person can read and a terminal cannot be fooled by: parse failure
// reasons and parser_errors.log quote what the device sent through it.

const maxQuotedChars = 40;
const disguising = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

/**
 * Printable form of arbitrary bytes: control, format and non-UTF-8 bytes as \xNN,
 * backslash doubled. Reversible: `\\` is a backslash, `\xNN` a byte, the rest UTF-8.
 */
export function escapeBytes(bytes: Uint8Array): string {
	let out = '';
	let index = 0;
	while (index < bytes.length) {
		const byte = bytes[index]!;
		if (byte < 0x80) {
			out +=
				byte === 0x5c
					? '\\\\'
					: byte < 0x20 || byte === 0x7f
						? hexEscape(byte)
						: String.fromCodePoint(byte);
			index++;
			continue;
		}

		const length = utf8SequenceLength(bytes, index);
		if (length === 0) {
			out += hexEscape(byte);
			index++;
		} else {
			const char = utf8Char(bytes, index, length);
			// C1 controls (U+0080..U+009F) are as dangerous in a terminal as C0 ones; format
			// characters (bidi overrides and isolates, zero-width ones, the BOM) and the line
			// and paragraph separators can make shown text read differently from its bytes
			// (CVE-2021-42574, "Trojan Source").
			out += disguising.test(char)
				? [...bytes.subarray(index, index + length)]
						.map((part) => hexEscape(part))
						.join('')
				: char;
			index += length;
		}
	}

	return out;
}

/** A device's text (a JSON member's name or value) escaped as its UTF-8 bytes are. */
export function escapeText(text: string): string {
	return disguising.test(text)
		? escapeBytes(new TextEncoder().encode(text))
		: text;
}

/** A device's text in a reason: cut to a readable length, escaped, in single quotes. */
export function quote(text: string): string {
	const cut =
		text.length > maxQuotedChars ? `${text.slice(0, maxQuotedChars)}…` : text;
	return `'${escapeBytes(new TextEncoder().encode(cut))}'`;
}

function hexEscape(byte: number): string {
	return String.raw`\x` + byte.toString(16).padStart(2, '0');
}

/**
 * Length of a valid UTF-8 sequence starting at index, or 0 if the bytes there are not one
 * (RFC 3629: no overlong form, no surrogate, nothing past U+10FFFF). Checked by hand: a
 * TextDecoder call per character cost most of writing a garbage line to the error log.
 */
function utf8SequenceLength(bytes: Uint8Array, index: number): number {
	const lead = bytes[index]!;
	const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc2 ? 2 : 0;
	if (length === 0 || lead > 0xf4 || index + length > bytes.length) {
		return 0;
	}

	// The second byte's range depends on the lead; the others are plain continuations.
	const second = bytes[index + 1]!;
	const [low, high] =
		lead === 0xe0
			? [0xa0, 0xbf]
			: lead === 0xed
				? [0x80, 0x9f]
				: lead === 0xf0
					? [0x90, 0xbf]
					: lead === 0xf4
						? [0x80, 0x8f]
						: [0x80, 0xbf];
	if (second < low || second > high) {
		return 0;
	}

	for (let next = index + 2; next < index + length; next++) {
		if (bytes[next]! < 0x80 || bytes[next]! > 0xbf) {
			return 0;
		}
	}

	return length;
}

/** The character of a valid sequence utf8SequenceLength measured. */
function utf8Char(bytes: Uint8Array, index: number, length: number): string {
	// The lead's bits after its length marker, then six bits from each continuation.
	let codePoint =
		bytes[index]! - (length === 2 ? 0xc0 : length === 3 ? 0xe0 : 0xf0);
	for (let next = index + 1; next < index + length; next++) {
		codePoint = codePoint * 64 + bytes[next]! - 0x80;
	}

	return String.fromCodePoint(codePoint);
}
