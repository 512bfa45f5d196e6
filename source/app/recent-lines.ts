// The last lines received, as raw.log has them, for the dashboard's raw-line view.
// Invariant: at most `capacity` lines of at most `maxChars` bytes each are held, whatever
// the line rate or length; a line is escaped at most once, when a snapshot first needs it,
// and its text is at most `maxChars` characters however many escapes its bytes need.
import {escapeBytes} from '../core/protocol.js';

export type RecentLine = {
	/** Its line number in raw.log. */
	line: number;
	/** When it was received. */
	time: number;
	/** Escaped, cut to maxChars characters (then ending in "…"). */
	text: string;
};

export type RecentLines = {
	add(time: number, firstLine: number, lines: readonly Uint8Array[]): void;
	/** Oldest first. */
	list(): RecentLine[];
};

type Held = {line: number; time: number; bytes: Uint8Array; cut: boolean};

export function createRecentLines(
	capacity: number,
	maxChars: number,
): RecentLines {
	let held: Held[] = [];
	// Escaped text by held entry: filled on demand, dropped with the entry.
	const escaped = new WeakMap<Held, string>();

	return {
		add(time, firstLine, lines) {
			const skip = Math.max(0, lines.length - capacity);
			for (let index = skip; index < lines.length; index++) {
				const bytes = lines[index]!;
				held.push({
					line: firstLine + index,
					time,
					// A copy: the caller's array may be a view into a larger chunk.
					bytes: bytes.slice(0, maxChars),
					cut: bytes.length > maxChars,
				});
			}

			// Trimmed in batches, so a line costs no array shift.
			if (held.length > capacity * 2) {
				held = held.slice(-capacity);
			}
		},
		list() {
			return held.slice(-capacity).map((entry) => {
				let text = escaped.get(entry);
				if (text === undefined) {
					const whole = escapeBytes(entry.bytes);
					text =
						entry.cut || whole.length > maxChars
							? `${whole.slice(0, maxChars)}…`
							: whole;
					escaped.set(entry, text);
				}

				return {line: entry.line, time: entry.time, text};
			});
		},
	};
}
