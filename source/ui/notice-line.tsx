// What just happened, above the alerts: a config change applied or refused, a report
// written, what a key did; otherwise the latest malformed line. A notice wraps over a few
// lines so a refusal can be read whole at 80 columns; the bad line stays on one.
import {Box, Text} from 'ink';
import type {MonitorSnapshot, Notice} from '../app/monitor-state.js';
import {formatClock, truncate, wrapText, type ClockZone} from './format.js';

// A notice stays this long (an error longer); then the latest malformed line shows there instead.
const noticeMs = 30_000;
const errorMs = 120_000;

export type NoticeView = {
	lines: string[];
	tone: Notice['level'] | 'quiet';
};

/** The lines to show, at most `maxLines`: the newest notice still current, else the last bad line. */
export function noticeView(options: {
	notices: ReadonlyArray<Notice | undefined>;
	lastBadLine: MonitorSnapshot['lastBadLine'];
	now: number;
	width: number;
	zone: ClockZone;
	maxLines: number;
}): NoticeView {
	const {lastBadLine, now, width, zone, maxLines} = options;
	const notice = options.notices
		.filter(
			(candidate): candidate is Notice =>
				candidate !== undefined &&
				now - candidate.time <
					(candidate.level === 'error' ? errorMs : noticeMs),
		)
		.toSorted((a, b) => b.time - a.time)[0];
	if (notice) {
		return {
			lines: wrapText(
				`${formatClock(notice.time, zone)} ${notice.text}`,
				width,
				maxLines,
			),
			tone: notice.level,
		};
	}

	if (lastBadLine) {
		return {
			lines: [
				truncate(
					`last bad line ${formatClock(lastBadLine.time, zone)} (${lastBadLine.reason}): ${lastBadLine.text}`,
					width,
				),
			],
			tone: 'quiet',
		};
	}

	return {lines: ['No malformed lines.'], tone: 'quiet'};
}

export function NoticeLine(props: {view: NoticeView}) {
	const {lines, tone} = props.view;
	return (
		<Box flexDirection="column">
			{lines.map((line, index) => (
				<Text
					key={index}
					color={
						tone === 'error' ? 'red' : tone === 'info' ? 'cyan' : undefined
					}
					dimColor={tone === 'quiet'}
				>
					{line}
				</Text>
			))}
		</Box>
	);
}
