// The bottom line: the keys, in as many words as the width allows.
import {Fragment} from 'react';
import {Text} from 'ink';
import type {DashboardPanel} from '../app/dashboard-store.js';

export function Footer(props: {
	paused: boolean;
	quitting: boolean;
	panel: DashboardPanel;
	/** f and F pick the field charted large (more number fields than full charts). */
	fieldKeys?: boolean;
	width: number;
}) {
	const {paused, quitting, panel, fieldKeys = false, width} = props;
	if (quitting) {
		return (
			<Text color="yellow">
				Stopping: flushing the files and writing the final report…
			</Text>
		);
	}

	const lines = panel === 'lines';
	// Longest first: the first that fits is shown.
	const field: Array<[string, string]> = fieldKeys ? [['f', 'field']] : [];
	const choices: Array<Array<[string, string]>> = [
		[
			['p', paused ? 'resume' : 'pause'],
			['r', 'report'],
			['c', 'clear resolved'],
			['l', lines ? 'alerts' : 'raw lines'],
			['↑↓ PgUp PgDn', 'scroll'],
			...field,
			['?', 'help'],
			['q', 'quit'],
		],
		[
			['p', paused ? 'resume' : 'pause'],
			['r', 'report'],
			['c', 'clear resolved'],
			['l', lines ? 'alerts' : 'lines'],
			['↑↓', 'scroll'],
			...field,
			['?', 'help'],
			['q', 'quit'],
		],
		...(fieldKeys
			? [
					[
						['p', paused ? 'resume' : 'pause'],
						['r', 'report'],
						['c', 'clear'],
						['l', lines ? 'alerts' : 'lines'],
						['f', 'field'],
						['?', 'help'],
						['q', 'quit'],
					] satisfies Array<[string, string]>,
				]
			: []),
	];
	const keys =
		choices.find(
			(choice) =>
				choice.map(([key, text]) => `${key} ${text}`).join(' · ').length <=
				width,
		) ?? [];
	if (keys.length === 0) {
		return (
			<Text dimColor>
				<Text bold>{fieldKeys ? 'p r c l f ↑↓ ? q' : 'p r c l ↑↓ ? q'}</Text> ·{' '}
				<Text bold>?</Text> help
			</Text>
		);
	}

	return (
		<Text dimColor>
			{keys.map(([key, text], index) => (
				<Fragment key={key}>
					{index > 0 ? ' · ' : ''}
					<Text bold>{key}</Text> {text}
				</Fragment>
			))}
		</Text>
	);
}
