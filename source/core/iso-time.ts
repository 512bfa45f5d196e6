// Receive times as ISO 8601 text (`2026-01-01T00:00:00.000Z`), as raw.log stamps them.
// Lines come in time order, mostly within one day: the date part is formatted once a day
// and the time of day by arithmetic, which costs a fraction of a Date and toISOString()
// per line. The result is toISOString()'s, whatever the time (a test holds it to that).
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
