// The bottom line: the keys.
import {Text} from 'ink';

export function Footer(props: {
	paused: boolean;
	quitting: boolean;
	width: number;
}) {
	if (props.quitting) {
		return (
			<Text color="yellow">
				Stopping: flushing the files and writing the final report…
			</Text>
		);
	}

	// The full line needs 79 columns; narrower, the keys alone.
	if (props.width < 79) {
		return (
			<Text dimColor>
				<Text bold>p r c ↑↓ ? q</Text> · <Text bold>?</Text> help
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
