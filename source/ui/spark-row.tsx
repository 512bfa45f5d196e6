// One field in one line, for a device with more fields than charts fit: its name, its
// last value, where its trend is heading while a prediction holds, and a one-row chart of its history, points coloured by level. The field shown
// large is marked.
import {Text} from 'ink';
import sparkly from 'sparkly';
import {formatValue, truncate} from './format.js';
import {levelColor, type Level} from './levels.js';
import {runs} from './sparkline.js';

export function SparkRow(props: {
	label: string;
	/** The labels' column width, the same for every row. */
	labelWidth: number;
	unit: string;
	decimals: number;
	values: readonly number[];
	/** The value column's width, the same for every row. */
	valueWidth: number;
	/** Where the trend is heading and when it gets there, while a prediction holds. */
	prediction: string | undefined;
	/** The prediction column's width, the same for every row: 0 while no field has one. */
	predictionWidth: number;
	levelOf: (value: number) => Level;
	minSpan: number;
	selected: boolean;
	width: number;
}) {
	const {label, labelWidth, unit, decimals, values, levelOf, minSpan, width} =
		props;
	const last = values.at(-1);
	const value =
		last === undefined ? '–' : `${formatValue(last, decimals)}${unit}`;
	const head = `${props.selected ? '▸' : ' '}${truncate(label, labelWidth).padEnd(labelWidth)} `;
	const {predictionWidth} = props;
	const predictionColumn = predictionWidth > 0 ? predictionWidth + 1 : 0;
	const room = Math.max(
		0,
		width - head.length - props.valueWidth - 1 - predictionColumn,
	);
	const shown = values.slice(-room);
	let bars: string[] = [];
	if (shown.length > 0) {
		const min = Math.min(...shown);
		const max = Math.max(...shown);
		const pad = Math.max(0, minSpan - (max - min)) / 2;
		bars = [...sparkly(shown, {minimum: min - pad, maximum: max + pad})];
	}

	return (
		<Text wrap="truncate-end">
			<Text bold={props.selected}>{head}</Text>
			<Text
				bold
				color={last === undefined ? undefined : levelColor[levelOf(last)]}
			>
				{value.padStart(props.valueWidth)}
			</Text>
			{predictionColumn > 0 ? (
				<Text bold color={levelColor.warning}>
					{' '}
					{(props.prediction ?? '').padEnd(predictionWidth)}
				</Text>
			) : null}{' '}
			{runs(shown.map((point) => levelOf(point))).map(({level, from, to}) => (
				<Text
					key={from}
					color={level === 'normal' ? 'cyan' : levelColor[level]}
				>
					{bars.slice(from, to).join('')}
				</Text>
			))}
		</Text>
	);
}
