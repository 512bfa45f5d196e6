// One line of the headless monitor's stdout: an incident event (a report entry after its
// own `event` and `at`), read for the keys the bench matches on.
export type EventLine = {event: string; type: string; firstLine: number};

export function parseEventLine(line: string): EventLine | undefined {
	if (!line.startsWith('{')) return undefined;
	const value: unknown = JSON.parse(line);
	if (typeof value !== 'object' || value === null) return undefined;
	const fields = new Map<string, unknown>(Object.entries(value));
	const [event, type, firstLine] = [
		fields.get('event'),
		fields.get('type'),
		fields.get('first_line'),
	];
	return typeof event === 'string' && typeof type === 'string'
		? {event, type, firstLine: typeof firstLine === 'number' ? firstLine : 0}
		: undefined;
}
