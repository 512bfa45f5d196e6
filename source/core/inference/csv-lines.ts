// Positional columns: the separator that splits most lines into the same number of cells,
// and the header line, when the device prints one (a line of names, repeated as it is).
import {splitCells} from '../codec/csv.js';
import type {LineText} from './line-texts.js';
import {
	textCell,
	type Cell,
	type Column,
	type Extraction,
} from './extraction.js';

const separators = [',', ';', '\t'] as const;
type Separator = (typeof separators)[number];

// A header cell: a name, optionally followed by its unit in brackets (`temp (°C)`).
const headerCell =
	/^(?<name>[A-Za-z_][\w .-]*?)\s*(?:[([](?<unit>[^()[\]]{1,8})[)\]])?$/;

/** The best CSV reading of the lines, or undefined where no separator splits most of them. */
export function csvExtraction(texts: readonly LineText[]): Extraction {
	let best:
		| {separator: Separator; width: number; cells: Array<string[] | undefined>}
		| undefined;
	let bestCount = 0;
	for (const separator of separators) {
		const cells = texts.map((text) => {
			if (text === undefined || text === '') {
				return undefined;
			}

			const split = splitCells(text, separator);
			return typeof split === 'string' ? undefined : split;
		});
		const widths = new Map<number, number>();
		for (const row of cells) {
			if (row !== undefined && row.length > 1) {
				widths.set(row.length, (widths.get(row.length) ?? 0) + 1);
			}
		}

		const [width, count] = [...widths].toSorted((a, b) => b[1] - a[1])[0] ?? [
			1, 0,
		];
		if (count > bestCount) {
			best = {separator, width, cells};
			bestCount = count;
		}
	}

	// One value a line: the plainest device of all (Serial.println(value)).
	best ??= {
		separator: ',',
		width: 1,
		cells: texts.map((text) =>
			text === undefined || text === '' ? undefined : [text.trim()],
		),
	};
	return columnsOf(best.separator, best.width, best.cells);
}

function columnsOf(
	separator: Separator,
	width: number,
	lines: ReadonlyArray<string[] | undefined>,
): Extraction {
	const header = headerOf(width, lines);
	const names = header?.cells;
	let headerLines = 0;
	const rows = lines.map((cells) => {
		if (cells?.length !== width) {
			return undefined;
		}

		if (cells.join('\u0000') === header?.text) {
			headerLines++;
			return undefined;
		}

		const row = new Map<string, Cell>();
		for (const [index, cell] of cells.entries()) {
			if (cell !== '') {
				row.set(String(index + 1), textCell(cell));
			}
		}

		return row;
	});
	const columns: Column[] = Array.from({length: width}, (_, index) => {
		const name = names?.[index];
		const parsed = name === undefined ? undefined : headerCell.exec(name);
		return {
			id: String(index + 1),
			key: name ?? String(index + 1),
			label: parsed?.groups?.['name'] ?? name,
			unit: parsed?.groups?.['unit']?.trim() ?? '',
		};
	});
	return {
		columns,
		rows,
		headerLines,
		// With a header every column is declared: before the device's header is seen the codec
		// finds a named field in the column of its place among the fields.
		allColumns: header !== undefined,
		format: () => ({
			format: 'csv',
			separator,
			header: header !== undefined,
		}),
	};
}

/**
 * The header: the most frequent line of distinct names (no cell a number, none empty), of
 * the data lines' width, when the lines are not all such; printed first or more than once
 * (at start, and again at each reset), so that one damaged line is not taken for it.
 */
function headerOf(
	width: number,
	lines: ReadonlyArray<string[] | undefined>,
): {text: string; cells: string[]} | undefined {
	const counts = new Map<string, number>();
	let data = 0;
	let first: string | undefined;
	for (const cells of lines) {
		if (cells?.length !== width) {
			continue;
		}

		const named =
			new Set(cells).size === cells.length &&
			cells.every(
				(cell) => headerCell.test(cell) && textCell(cell).kind === 'text',
			);
		if (named) {
			const text = cells.join('\u0000');
			first ??= data === 0 ? text : undefined;
			counts.set(text, (counts.get(text) ?? 0) + 1);
		} else {
			data++;
		}
	}

	const [text, count = 0] =
		[...counts].toSorted((a, b) => b[1] - a[1])[0] ?? [];
	return text === undefined || data === 0 || (count < 2 && text !== first)
		? undefined
		: {text, cells: text.split('\u0000')};
}
