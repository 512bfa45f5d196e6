// One line under the header, only when integrations are on: each exporter and alert sink
// by name, green while healthy and red with its reason while failing, so that a page that
// is not going out is seen on the screen that shows the incident.
import {Text} from 'ink';
import type {ObserverHealth} from '../app/run-observer.js';
import {truncate} from './format.js';

export function IntegrationsLine(props: {
	integrations: readonly ObserverHealth[];
	width: number;
}) {
	const {integrations, width} = props;
	if (integrations.length === 0) {
		return null;
	}

	const label = 'out ';
	let room = width - label.length;
	const parts: Array<{text: string; ok: boolean}> = [];
	for (const health of integrations) {
		const text = `${parts.length > 0 ? ' · ' : ''}${health.ok ? '✓' : '✗'} ${health.name}${health.detail ? ` ${health.detail}` : ''}`;
		const fitted = truncate(text, room);
		if (fitted.length === 0) {
			break;
		}

		parts.push({text: fitted, ok: health.ok});
		room -= fitted.length;
	}

	return (
		<Text>
			{label}
			{parts.map((part, index) => (
				<Text
					// The order is the config's: a sink never moves while the run lasts.
					key={index}
					color={part.ok ? 'green' : 'red'}
					bold={!part.ok}
				>
					{part.text}
				</Text>
			))}
		</Text>
	);
}
