// Reads raw.log's receive times (`2026-01-01T00:00:00.000Z`, the first 24 bytes of a line)
// as epoch milliseconds. Lines come in time order, mostly within one day: a stamp whose date is the
// previous one's is read by arithmetic on its digits, which costs a fraction of decoding it
// to a string for Date.parse. Anything else (another day, hour 24, a malformed stamp) goes
// to Date.parse, so the result is always Date.parse's (NaN: not a time).

const msPerDay = 86_400_000;
const stampBytes = 'YYYY-MM-DDTHH:MM:SS.mmmZ'.length;
const datePartBytes = 'YYYY-MM-DDT'.length;
const zero = 0x30;

/**
 * Reads the stamp in the 24 bytes at `offset` of what it is given (a line, or a whole read
 * of the file with the line's start: no view is cut). The caller makes sure they are there.
 */
export function createIsoStampReader(): (
	bytes: Uint8Array,
	offset?: number,
) => number {
	let datePart: Uint8Array | undefined;
	let dayStart = Number.NaN;

	return (bytes, at = 0) => {
		if (datePart && sameDate(bytes, at, datePart)) {
			const hours = twoDigits(bytes, at + 11);
			const minutes = twoDigits(bytes, at + 14);
			const seconds = twoDigits(bytes, at + 17);
			const ms = threeDigits(bytes, at + 20);
			// NaN (a byte that is no digit) fails every comparison.
			if (
				hours < 24 &&
				minutes < 60 &&
				seconds < 60 &&
				ms >= 0 &&
				bytes[at + 13] === 0x3a &&
				bytes[at + 16] === 0x3a &&
				bytes[at + 19] === 0x2e &&
				bytes[at + 23] === 0x5a
			) {
				return dayStart + ((hours * 60 + minutes) * 60 + seconds) * 1000 + ms;
			}
		}

		const stamp = bytes.subarray(at, at + stampBytes);
		// Each byte one character (latin1), as the stamp was always read.
		const time = Date.parse(String.fromCodePoint(...stamp));
		// Midnight of a stamp that is its own day's (not hour 24, which is the next day's).
		if (
			Number.isInteger(time) &&
			isDatePart(stamp) &&
			time % msPerDay === twoDigits(stamp, 11) * 3_600_000 + rest(stamp)
		) {
			// A copy: slice() of a Buffer is a view, which a reader reusing its buffer overwrites.
			datePart = new Uint8Array(stamp.subarray(0, datePartBytes));
			dayStart = time - (time % msPerDay);
		}

		return time;
	};
}

function sameDate(
	bytes: Uint8Array,
	at: number,
	datePart: Uint8Array,
): boolean {
	for (let index = 0; index < datePartBytes; index++) {
		if (bytes[at + index] !== datePart[index]) {
			return false;
		}
	}

	return true;
}

/** `YYYY-MM-DDT`. */
function isDatePart(stamp: Uint8Array): boolean {
	return (
		isDigit(stamp[0]) &&
		isDigit(stamp[1]) &&
		isDigit(stamp[2]) &&
		isDigit(stamp[3]) &&
		stamp[4] === 0x2d &&
		isDigit(stamp[5]) &&
		isDigit(stamp[6]) &&
		stamp[7] === 0x2d &&
		isDigit(stamp[8]) &&
		isDigit(stamp[9]) &&
		stamp[10] === 0x54
	);
}

function isDigit(byte: number | undefined): boolean {
	return byte !== undefined && byte >= zero && byte <= zero + 9;
}

/** The two-digit number at `offset`; NaN if either byte is no digit. */
function twoDigits(bytes: Uint8Array, offset: number): number {
	return isDigit(bytes[offset]) && isDigit(bytes[offset + 1])
		? (bytes[offset]! - zero) * 10 + bytes[offset + 1]! - zero
		: Number.NaN;
}

function threeDigits(bytes: Uint8Array, offset: number): number {
	return isDigit(bytes[offset])
		? (bytes[offset]! - zero) * 100 + twoDigits(bytes, offset + 1)
		: Number.NaN;
}

/** Minutes, seconds and milliseconds of a stamp, in milliseconds. */
function rest(stamp: Uint8Array): number {
	return (
		(twoDigits(stamp, 14) * 60 + twoDigits(stamp, 17)) * 1000 +
		threeDigits(stamp, 20)
	);
}
