// What each alert sink is called in metrics, the header and messages: its `name`, or its
// type, numbered from the second of a type on (`webhook`, `webhook-2`), so names are unique
// and stable while the list keeps its order.
import type {AlertSinkConfig} from './config.js';

export function sinkNames(sinks: readonly AlertSinkConfig[]): string[] {
	const seen = new Map<string, number>();
	return sinks.map((sink) => {
		if (sink.name !== null) {
			return sink.name;
		}

		const count = (seen.get(sink.type) ?? 0) + 1;
		seen.set(sink.type, count);
		return count === 1 ? sink.type : `${sink.type}-${count}`;
	});
}
