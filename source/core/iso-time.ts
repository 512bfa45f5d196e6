// Receive times as ISO 8601 text (`2026-01-01T00:00:00.000Z`), as raw.log stamps them.
// Lines come in time order, mostly within one day: the date part is formatted once a day
// and the time of day by arithmetic, which costs a fraction of a Date and toISOString()
// per line. The result is toISOString()'s, whatever the time (a test holds it to that).
import {putAscii} from './ascii-bytes.js';

const msPerDay = 86_400_000;

export function createIsoTime(): (time: number) => string {
	let day = Number.NaN;
	let datePart = '';
	return (time) => {
		if (!Number.isInteger(time)) {
			return new Date(time).toISOString();
		}

		const timeDay = Math.floor(time / msPerDay);
		if (timeDay !== day) {
			const iso = new Date(time).toISOString();
			day = timeDay;
			datePart = iso.slice(0, iso.indexOf('T') + 1);
		}

		const ms = time - timeDay * msPerDay;
		const hours = Math.floor(ms / 3_600_000);
		const minutes = Math.floor(ms / 60_000) % 60;
		const seconds = Math.floor(ms / 1000) % 60;
		return `${datePart}${two(hours)}:${two(minutes)}:${two(seconds)}.${three(ms % 1000)}Z`;
	};
}

function two(value: number): string {
	return value < 10 ? `0${value}` : String(value);
}

function three(value: number): string {
	return value < 10 ? `00${value}` : value < 100 ? `0${value}` : String(value);
}

/**
 * As createIsoTime, written as bytes at `offset` (24 of them, more for a year past 9999);
 * returns where it stopped.
 */
export function createIsoTimeBytes(): (
	bytes: Uint8Array,
	offset: number,
	time: number,
) => number {
	let day = Number.NaN;
	let datePart: Uint8Array = new Uint8Array(0);
	// Readings come several to a second: the stamp up to its milliseconds
	// (`2026-01-01T12:34:56.`) is copied for each after the first of its second.
	let second = Number.NaN;
	let secondPart: Uint8Array = new Uint8Array(0);

	const putStamp = (
		bytes: Uint8Array,
		offset: number,
		time: number,
	): number => {
		const timeDay = Math.floor(time / msPerDay);
		if (timeDay !== day) {
			const iso = new Date(time).toISOString();
			day = timeDay;
			datePart = Uint8Array.from(iso.slice(0, iso.indexOf('T') + 1), (char) =>
				char.codePointAt(0)!,
			);
		}

		bytes.set(datePart, offset);
		let at = offset + datePart.length;
		const ms = time - timeDay * msPerDay;
		at = putTwo(bytes, at, Math.floor(ms / 3_600_000));
		bytes[at++] = colon;
		at = putTwo(bytes, at, Math.floor(ms / 60_000) % 60);
		bytes[at++] = colon;
		at = putTwo(bytes, at, Math.floor(ms / 1000) % 60);
		bytes[at++] = dot;
		return at;
	};

	return (bytes, offset, time) => {
		if (!Number.isInteger(time)) {
			return putAscii(bytes, offset, new Date(time).toISOString());
		}

		const timeSecond = Math.floor(time / 1000);
		let at: number;
		if (timeSecond === second) {
			bytes.set(secondPart, offset);
			at = offset + secondPart.length;
		} else {
			at = putStamp(bytes, offset, time);
			second = timeSecond;
			secondPart = bytes.slice(offset, at);
		}

		const milliseconds = time - timeSecond * 1000;
		bytes[at++] = zero + Math.floor(milliseconds / 100);
		at = putTwo(bytes, at, milliseconds % 100);
		bytes[at++] = 0x5a;
		return at;
	};
}

const zero = 0x30;
const colon = 0x3a;
const dot = 0x2e;

function putTwo(bytes: Uint8Array, offset: number, value: number): number {
	const tens = Math.floor(value / 10);
	bytes[offset] = zero + tens;
	bytes[offset + 1] = zero + value - tens * 10;
	return offset + 2;
}
