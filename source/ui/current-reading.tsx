// The latest reading, every field with its unit, each value coloured by its level, and
// the heartbeat's age.
import {Box, Text} from 'ink';
import type {MonitorSnapshot} from '../app/monitor-state.js';
import {formatDuration, formatValue, truncate} from './format.js';
import {levelColor, statusLevel, valueLevel, type Level} from './levels.js';

type Part = {
	tag: string;
	text: string;
	unit: string;
	level: Level;
	/** A number's colour gives way to grey while the device is silent. */
	number: boolean;
};

/** The built-in device's tags, as its line has always read. */
const builtinTags = ['T', 'V', 'status'];

export function CurrentReading(props: {
	snapshot: MonitorSnapshot;
	now: number;
	width: number;
}) {
	const {snapshot, now, width} = props;
	const {last, lastLineAt} = snapshot;
	const timeoutMs = snapshot.heartbeatTimeoutS * 1000;
	const age = lastLineAt === undefined ? undefined : now - lastLineAt;
	// Before the first line, a silence says nothing alarming yet: the device may not have
	// started. HEARTBEAT_LOSS still fires in the table past the timeout.
	const silent = age !== undefined && age > timeoutMs;
	const heartbeatText = `${
		age === undefined
			? `no line yet (${waitedFor(snapshot.connection, snapshot.startedAt, now)})`
			: `last line ${formatDuration(age)} ago`
	}${silent ? ' SILENT' : ''}`;
	const heartbeat = (
		<Text bold={silent} color={silent ? 'red' : undefined}>
			{heartbeatText}
		</Text>
	);
	if (!last) {
		return (
			<Box>
				<Text dimColor>waiting for the first reading · </Text>
				{heartbeat}
			</Box>
		);
	}

	const statusWidth = Math.max(8, width - 60);
	const parts: Part[] = snapshot.fields.map((field, index) => {
		const value = last.values[index];
		if (field.type === 'number') {
			return {
				tag: field.name,
				text:
					typeof value === 'number' ? formatValue(value, field.decimals) : '–',
				unit: typeof value === 'number' ? field.unit : '',
				level:
					typeof value === 'number' ? valueLevel(field.bands, value) : 'normal',
				number: true,
			};
		}

		const level = last.levels[index];
		return {
			tag: field.name,
			text: truncate(typeof value === 'string' ? value : '–', statusWidth),
			unit: '',
			level: level === undefined ? 'normal' : statusLevel(level),
			number: false,
		};
	});
	// With more fields than the width holds, the names go, then the units: the charts
	// below name the fields in the same order, with their units. Past that, the heartbeat
	// comes first, so that a silence is never what is cut.
	let heartbeatFirst = false;
	if (snapshot.builtin) {
		for (const [index, part] of parts.entries()) {
			part.tag = builtinTags[index] ?? part.tag;
		}
	} else {
		const fits = () => lineLength(parts) + 3 + heartbeatText.length <= width;
		for (const shorten of [
			(part: Part) => {
				part.tag = '';
			},
			(part: Part) => {
				part.unit = '';
			},
		]) {
			if (!fits()) {
				for (const part of parts) {
					shorten(part);
				}
			}
		}

		heartbeatFirst = !fits();
	}

	// Status fields have no chart row below: when the line is cut, they are not what goes.
	const shown = heartbeatFirst
		? [
				...parts.filter((part) => !part.number),
				...parts.filter((part) => part.number),
			]
		: parts;
	const values = shown.map((part, index) => (
		<Text key={index}>
			{index > 0 ? ' ' : ''}
			{part.tag === '' ? '' : `${part.tag} `}
			<Text
				bold
				color={part.number && silent ? 'gray' : levelColor[part.level]}
				dimColor={!part.number && part.level === 'offline'}
			>
				{part.text}
				{part.unit}
			</Text>
		</Text>
	));
	if (heartbeatFirst) {
		return (
			<Box>
				<Text wrap="truncate-end">
					{heartbeat}
					{' · '}
					{values}
				</Text>
			</Box>
		);
	}

	return (
		<Box>
			<Text wrap="truncate-end">
				{values}
				{' · '}
				{heartbeat}
			</Text>
		</Box>
	);
}

function lineLength(parts: readonly Part[]): number {
	return parts.reduce(
		(sum, part, index) =>
			sum +
			(index > 0 ? 1 : 0) +
			(part.tag === '' ? 0 : part.tag.length + 1) +
			part.text.length +
			part.unit.length,
		0,
	);
}

/** How long lines have been awaited: since the port opened, or that it is not open. */
function waitedFor(
	connection: MonitorSnapshot['connection'],
	startedAt: number,
	now: number,
): string {
	switch (connection.state) {
		case 'demo': {
			return `started ${formatDuration(now - startedAt)} ago`;
		}

		case 'connected': {
			return `port open ${formatDuration(now - connection.since)}`;
		}

		case 'connecting':
		case 'waiting':
		case 'reconnecting': {
			return 'port not open';
		}
	}
}
