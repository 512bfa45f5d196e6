// The received lines as text, and how much of what came in was printable at all: what a
// wrong baud rate or a binary protocol is told by.

const decoder = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true});
// Control and format characters (a tab is a separator, not one of them): no line protocol
// holds them, a link that garbles bytes produces them.
const unprintable = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
const unprintableAll = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

export type LineText =
	/** A text line, or undefined where the bytes are no UTF-8 text without controls. */
	string | undefined;

/** Each line's text, undefined where it holds bytes no line protocol prints, '' where empty. */
export function lineTexts(lines: readonly Uint8Array[]): LineText[] {
	return lines.map((bytes) => {
		let text: string;
		try {
			text = decoder.decode(bytes);
		} catch {
			return undefined;
		}

		return unprintable.test(text.replaceAll('\t', ' ')) ? undefined : text;
	});
}

const encoder = new TextEncoder();

/** The share (0..1) of the bytes that are printable text: ASCII, UTF-8 characters, tabs. */
export function printableShare(lines: readonly Uint8Array[]): number {
	let all = 0;
	let printable = 0;
	for (const bytes of lines) {
		all += bytes.length;
		let text: string | undefined;
		try {
			text = decoder.decode(bytes);
		} catch {
			text = undefined;
		}

		if (text === undefined) {
			for (const byte of bytes) {
				if ((byte >= 0x20 && byte < 0x7f) || byte === 0x09) {
					printable++;
				}
			}

			continue;
		}

		const controls = text.replaceAll('\t', ' ').match(unprintableAll);
		printable +=
			bytes.length -
			(controls === null
				? 0
				: controls.reduce((sum, char) => sum + encoder.encode(char).length, 0));
	}

	return all === 0 ? 0 : printable / all;
}

/** 1200 reads 1,200. */
export function countText(count: number): string {
	return String(count).replaceAll(/\B(?=(?:\d{3})+$)/g, ',');
}
