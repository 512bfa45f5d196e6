// Numbers and times the way the dashboard prints them.

/** 75 s -> "1m15s", 3725 s -> "1h02m", under a minute with a decimal under 10 s. */
export function formatDuration(ms: number): string {
	const seconds = Math.max(0, ms) / 1000;
	if (seconds < 10) {
		return `${seconds.toFixed(1)}s`;
	}

	if (seconds < 60) {
		return `${Math.floor(seconds)}s`;
	}

	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) {
		return `${minutes}m${pad(Math.floor(seconds % 60))}s`;
	}

	const hours = Math.floor(minutes / 60);
	return hours < 48
		? `${hours}h${pad(minutes % 60)}m`
		: `${Math.floor(hours / 24)}d${pad(hours % 24)}h`;
}

/** Uptime as a clock: "00:01:23", "27:04:00" past a day. */
export function formatUptime(ms: number): string {
	const seconds = Math.floor(Math.max(0, ms) / 1000);
	return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
}

export type ClockZone = 'utc' | 'local';

/** Time of day, HH:MM:SS, in UTC as the files have it or in local time (ui.timezone). */
export function formatClock(time: number, zone: ClockZone): string {
	const date = new Date(time);
	return zone === 'utc'
		? `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
		: `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** HH:MM:SS.mmm, for lines that arrive several a second. */
export function formatClockMs(time: number, zone: ClockZone): string {
	const ms =
		zone === 'utc'
			? new Date(time).getUTCMilliseconds()
			: new Date(time).getMilliseconds();
	return `${formatClock(time, zone)}.${String(ms).padStart(3, '0')}`;
}

/** The zone's name for the header: "UTC", or local time as its offset, "UTC+01:00". */
export function zoneLabel(time: number, zone: ClockZone): string {
	// getTimezoneOffset is minutes to add to local time to get UTC: west of Greenwich is positive.
	const offset = zone === 'utc' ? 0 : -new Date(time).getTimezoneOffset();
	if (offset === 0) {
		return 'UTC';
	}

	const hours = Math.floor(Math.abs(offset) / 60);
	return `UTC${offset > 0 ? '+' : '-'}${pad(hours)}:${pad(Math.abs(offset) % 60)}`;
}

/** Cut to `width` columns with an ellipsis; device text is already escaped to ASCII. */
export function truncate(text: string, width: number): string {
	if (width <= 0) {
		return '';
	}

	return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/**
 * Word-wrapped to `width` columns, at most `maxLines` lines; a word longer than a line is
 * cut across lines, and text left over ends the last line with "…".
 */
export function wrapText(
	text: string,
	width: number,
	maxLines: number,
): string[] {
	const lines: string[] = [];
	let rest = text.trim();
	while (rest !== '' && lines.length < maxLines) {
		if (rest.length <= width) {
			lines.push(rest);
			rest = '';
			break;
		}

		const space = rest.lastIndexOf(' ', width);
		const end = space > 0 ? space : width;
		lines.push(rest.slice(0, end).trimEnd());
		rest = rest.slice(end).trimStart();
	}

	if (rest !== '' && lines.length > 0) {
		lines[lines.length - 1] = truncate(`${lines.at(-1)!} ${rest}`, width);
	}

	return lines;
}

/** Cut from the left, for paths: the file name is the part worth keeping. */
export function truncateStart(text: string, width: number): string {
	if (width <= 0) {
		return '';
	}

	return text.length <= width
		? text
		: `…${text.slice(text.length - width + 1)}`;
}

/** A measurement with its unit, to two decimals at most: 85.5 -> "85.50". */
export function formatValue(value: number, digits = 2): string {
	return value.toFixed(digits);
}

function pad(value: number): string {
	return String(value).padStart(2, '0');
}
