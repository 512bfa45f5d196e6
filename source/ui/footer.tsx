// The bottom line: the keys.
import {Text} from 'ink';

export function Footer(props: {paused: boolean; quitting: boolean}) {
	if (props.quitting) {
		return (
			<Text color="yellow">
				Stopping: flushing the files and writing the final report…
			</Text>
		);
	}

	return (
		<Text dimColor>
			<Text bold>p</Text> {props.paused ? 'resume' : 'pause'} ·{' '}
			<Text bold>r</Text> report · <Text bold>c</Text> clear resolved ·{' '}
			<Text bold>↑↓ PgUp PgDn</Text> scroll · <Text bold>?</Text> help ·{' '}
			<Text bold>q</Text> quit
		</Text>
	);
}
