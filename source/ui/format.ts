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

/** Local wall-clock time of day, HH:MM:SS: what a person compares with their watch. */
export function formatClock(time: number): string {
	const date = new Date(time);
	return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** Cut to `width` columns with an ellipsis; device text is already escaped to ASCII. */
export function truncate(text: string, width: number): string {
	if (width <= 0) {
		return '';
	}

	return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
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
