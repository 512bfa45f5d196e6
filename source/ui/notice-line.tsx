// One line for what just happened: a config change, a report written, a bad line.
import {Text} from 'ink';
import type {MonitorSnapshot} from '../app/monitor-state.js';
import {formatClock, truncate} from './format.js';

// A notice stays this long (an error longer); then the latest malformed line shows there instead.
const noticeMs = 30_000;
const errorMs = 120_000;

export function NoticeLine(props: {
	/** The live one: what a key just did shows even while the picture is paused. */
	notice: MonitorSnapshot['notice'];
	lastBadLine: MonitorSnapshot['lastBadLine'];
	now: number;
	width: number;
}) {
	const {notice, lastBadLine, now, width} = props;
	if (
		notice &&
		now - notice.time < (notice.level === 'error' ? errorMs : noticeMs)
	) {
		return (
			<Text color={notice.level === 'error' ? 'red' : 'cyan'}>
				{truncate(`${formatClock(notice.time)} ${notice.text}`, width)}
			</Text>
		);
	}

	if (lastBadLine) {
		return (
			<Text dimColor>
				{truncate(
					`last bad line ${formatClock(lastBadLine.time)} (${lastBadLine.reason}): ${lastBadLine.text}`,
					width,
				)}
			</Text>
		);
	}

	return <Text dimColor>No malformed lines.</Text>;
}
