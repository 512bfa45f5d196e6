// The bottom line: the keys, in as many words as the width allows.
import {Fragment} from 'react';
import {Text} from 'ink';
import type {DashboardPanel} from '../app/dashboard-store.js';

export function Footer(props: {
	paused: boolean;
	quitting: boolean;
	panel: DashboardPanel;
	width: number;
}) {
	const {paused, quitting, panel, width} = props;
	if (quitting) {
		return (
			<Text color="yellow">
				Stopping: flushing the files and writing the final report…
			</Text>
		);
	}

	const lines = panel === 'lines';
	// Longest first: the first that fits is shown.
	const choices: Array<Array<[string, string]>> = [
		[
			['p', paused ? 'resume' : 'pause'],
			['r', 'report'],
			['c', 'clear resolved'],
			['l', lines ? 'alerts' : 'raw lines'],
			['↑↓ PgUp PgDn', 'scroll'],
			['?', 'help'],
			['q', 'quit'],
		],
		[
			['p', paused ? 'resume' : 'pause'],
			['r', 'report'],
			['c', 'clear resolved'],
			['l', lines ? 'alerts' : 'lines'],
			['↑↓', 'scroll'],
			['?', 'help'],
			['q', 'quit'],
		],
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
				<Text bold>p r c l ↑↓ ? q</Text> · <Text bold>?</Text> help
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
