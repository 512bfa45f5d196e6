// One measurement's recent history: a label line with min/max/last and the limits in
// force, then a sparkline as wide as the terminal with breaching points in colour.
import {Box, Text} from 'ink';
import sparkly from 'sparkly';
import {formatValue, truncate} from './format.js';
import {levelColor, type Level} from './levels.js';

export function Sparkline(props: {
	label: string;
	unit: string;
	values: readonly number[];
	/** The thresholds, as the label shows them: "warn >70.0 max >80.0". */
	limits: string;
	levelOf: (value: number) => Level;
	/** The smallest range drawn full height: noise smaller than this stays a flat line. */
	minSpan: number;
	width: number;
}) {
	const {label, unit, values, limits, levelOf, minSpan, width} = props;
	const shown = values.slice(-Math.max(1, width));
	if (shown.length === 0) {
		return (
			<Box flexDirection="column">
				<Text>
					<Text bold>{label}</Text> <Text dimColor>({limits})</Text>
				</Text>
				<Text dimColor>no readings yet</Text>
			</Box>
		);
	}

	const min = Math.min(...shown);
	const max = Math.max(...shown);
	const summary = `min ${formatValue(min)} max ${formatValue(max)} last ${formatValue(shown.at(-1)!)} ${unit}`;
	// A range narrower than minSpan is drawn centred in minSpan, so sensor noise does not
	// look like a swing (and a flat line is not drawn as the lowest bar).
	const pad = Math.max(0, minSpan - (max - min)) / 2;
	const bars = [...sparkly(shown, {minimum: min - pad, maximum: max + pad})];
	return (
		<Box flexDirection="column">
			<Text>
				<Text bold>{label}</Text> {summary}{' '}
				<Text dimColor>
					{truncate(`(${limits})`, width - label.length - summary.length - 2)}
				</Text>
			</Text>
			<Text>
				{runs(shown.map((value) => levelOf(value))).map(({level, from, to}) => (
					<Text
						key={from}
						color={level === 'normal' ? 'cyan' : levelColor[level]}
					>
						{bars.slice(from, to).join('')}
					</Text>
				))}
			</Text>
		</Box>
	);
}

/** Consecutive points of one level, so a line of 200 points is a few Text nodes, not 200. */
function runs(
	levels: readonly Level[],
): Array<{level: Level; from: number; to: number}> {
	const result: Array<{level: Level; from: number; to: number}> = [];
	for (const [index, level] of levels.entries()) {
		const current = result.at(-1);
		if (current?.level === level) {
			current.to = index + 1;
		} else {
			result.push({level, from: index, to: index + 1});
		}
	}

	return result;
}
