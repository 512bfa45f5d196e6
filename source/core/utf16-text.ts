// ASCII text sent as UTF-16 (a Windows program's default): a NUL byte beside every
// character, perhaps a byte order mark first. The protocol is ASCII, so none of it can be a
// reading; what a person needs is to be told plainly, once, rather than meet a reason per
// line about NUL bytes and unknown keys.

const minimumCharacters = 2;

/**
 * Whether the line is ASCII characters each beside a NUL byte, in either byte order (a
 * UTF-16LE line cut at its LF starts with the NUL of the LF before it), after an optional
 * byte order mark.
 */
export function isUtf16Text(bytes: Uint8Array): boolean {
	const bom =
		bytes.length >= 2 &&
		((bytes[0] === 0xff && bytes[1] === 0xfe) ||
			(bytes[0] === 0xfe && bytes[1] === 0xff));
	const start = bom ? 2 : 0;
	if (bytes.length - start < minimumCharacters * 2) {
		return false;
	}

	const nulFirst = bytes[start] === 0;
	for (let index = start; index < bytes.length; index++) {
		const byte = bytes[index]!;
		const nulHere = ((index - start) % 2 === 0) === nulFirst;
		if (nulHere ? byte !== 0 : byte === 0 || byte > 0x7e) {
			return false;
		}
	}

	return true;
}

export const utf16Reason =
	'UTF-16 text (a NUL byte beside each character), not ASCII';

/**
 * Looks at received lines until the first that is UTF-16 text, and gives the one notice for
 * it; undefined for every other call.
 */
export function createUtf16Watch(): (
	firstLine: number,
	lines: readonly Uint8Array[],
) => string | undefined {
	let told = false;
	return (firstLine, lines) => {
		if (told) {
			return undefined;
		}

		const index = lines.findIndex((line) => isUtf16Text(line));
		if (index === -1) {
			return undefined;
		}

		told = true;
		return `the device sends UTF-16 text (raw.log line ${firstLine + index} on: a NUL byte beside each character), which is no reading: set it to send ASCII or UTF-8. raw.log keeps every byte as received; each such line is one parse error`;
	};
}
