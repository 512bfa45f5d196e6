// One line of the bench's table, as printed and as written to bench/results.json.
export type Row = {
	figure: string;
	command: string;
	/** The median, as printed (with its unit). */
	median: string;
	/** The figure over its floor (or its reference), where it has one. */
	ratio: number | undefined;
	/** What the ratio is taken against. */
	ratioOf: string | undefined;
	target: string;
	/** Undefined: not judged (no target, or a figure could not be read). */
	met: boolean | undefined;
	/** Every run's own figures, for whoever reads the JSON. */
	runs: unknown[];
	note?: string;
};

const columns = ['figure', 'command', 'median', 'ratio', 'target', 'met?'];

function cells(row: Row): string[] {
	return [
		row.figure,
		row.command,
		row.median,
		row.ratio === undefined
			? '-'
			: `${row.ratio.toFixed(2)}x ${row.ratioOf ?? ''}`.trim(),
		row.target,
		row.met === undefined ? '-' : row.met ? 'yes' : 'NO',
	];
}

/** A Markdown table, so the README can take it as printed. */
export function formatTable(rows: readonly Row[]): string {
	const body = rows.map((row) => cells(row));
	const widths = columns.map((column, index) =>
		Math.max(column.length, ...body.map((line) => line[index]!.length)),
	);
	const line = (values: readonly string[]) =>
		`| ${values.map((value, index) => value.padEnd(widths[index]!)).join(' | ')} |`;
	return [
		line(columns),
		line(widths.map((width) => '-'.repeat(width))),
		...body.map((values) => line(values)),
	].join('\n');
}
