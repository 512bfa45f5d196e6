// One measurement's recent history: a label line with min/max/last, where its trend is
// heading while a prediction holds, and the limits in force, then a chart as wide as the terminal, one row or several (taller terminals),
// with breaching points in colour.
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
	/** Rows of bars; from 2, with the scale's top and bottom values at the left. */
	height?: number;
	/** Decimals the values show with. */
	decimals?: number;
	/** Where the trend is heading and when it gets there ("→ 80.0°C in 8m"), while a prediction holds. */
	prediction?: string | undefined;
}) {
	const {label, unit, values, limits, levelOf, minSpan, width, prediction} =
		props;
	const digits = props.decimals ?? 2;
	const height = Math.max(1, props.height ?? 1);
	if (values.length === 0) {
		return (
			<Box flexDirection="column" height={height + 1}>
				<Text>
					<Text bold>{label}</Text> <Text dimColor>({limits})</Text>
				</Text>
				<Text dimColor>no readings yet</Text>
			</Box>
		);
	}

	const all = values.slice(-Math.max(1, width));
	const min = Math.min(...all);
	const max = Math.max(...all);
	// A range narrower than minSpan is drawn centred in minSpan, so sensor noise does not
	// look like a swing (and a flat line is not drawn as the lowest bar).
	const pad = Math.max(0, minSpan - (max - min)) / 2;
	const scale = {low: min - pad, high: max + pad};
	const axis =
		height > 1
			? [formatValue(scale.high, digits), formatValue(scale.low, digits)]
			: undefined;
	// At least "-40.00" wide, so charts of different ranges line up.
	const axisWidth = axis ? Math.max(6, ...axis.map((text) => text.length)) : 0;
	// The axis takes its labels' width and " ┤" from the bars.
	const shown = axis ? all.slice(-Math.max(1, width - axisWidth - 2)) : all;
	const summary = `min ${formatValue(min, digits)} max ${formatValue(max, digits)} last ${formatValue(all.at(-1)!, digits)} ${unit}`;
	const bars =
		height === 1
			? [[...sparkly(shown, {minimum: scale.low, maximum: scale.high})]]
			: barRows(shown, scale, height);
	const colourRuns = runs(shown.map((value) => levelOf(value)));
	return (
		<Box flexDirection="column">
			<Text wrap="truncate-end">
				<Text bold>{label}</Text> {summary}{' '}
				{prediction === undefined ? null : (
					<>
						<Text bold color={levelColor.warning}>
							{prediction}
						</Text>{' '}
					</>
				)}
				<Text dimColor>
					{truncate(
						`(${limits})`,
						width -
							label.length -
							summary.length -
							2 -
							(prediction === undefined ? 0 : prediction.length + 1),
					)}
				</Text>
			</Text>
			{bars.map((row, index) => (
				<Text key={index}>
					{axis ? (
						<Text dimColor>
							{index === 0
								? `${axis[0]!.padStart(axisWidth)} ┤`
								: index === height - 1
									? `${axis[1]!.padStart(axisWidth)} ┤`
									: `${''.padStart(axisWidth)} │`}
						</Text>
					) : null}
					{colourRuns.map(({level, from, to}) => (
						<Text
							key={from}
							color={level === 'normal' ? 'cyan' : levelColor[level]}
						>
							{row.slice(from, to).join('')}
						</Text>
					))}
				</Text>
			))}
		</Box>
	);
}

const eighths = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * Bars `height` rows tall, top row first, in eighths of a row: the lowest value still
 * shows an eighth, as sparkly's single row does, so a point is never blank.
 */
function barRows(
	values: readonly number[],
	scale: {low: number; high: number},
	height: number,
): string[][] {
	const steps = height * 8;
	const span = scale.high - scale.low;
	const filled = values.map((value) =>
		span > 0
			? 1 + Math.round(((value - scale.low) / span) * (steps - 1))
			: steps / 2,
	);
	return Array.from({length: height}, (_, index) => {
		const below = (height - 1 - index) * 8;
		return filled.map((fill) => {
			const here = Math.min(8, fill - below);
			return here <= 0 ? ' ' : eighths[here - 1]!;
		});
	});
}

/** Consecutive points of one level, so a line of 200 points is a few Text nodes, not 200. */
export function runs(
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
