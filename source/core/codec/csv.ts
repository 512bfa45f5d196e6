// Positional columns, as `23.00,45.0,1013.2`. A field's key is a 1-based column number, or
// a column's name in the header line the device prints (the Serial Plotter's CSV style).
//
// The parser has state: the column of each field, taken from the latest header line it saw.
// Before any header (a replay that starts mid-file, a device that printed its header before
// the port was opened), a field whose key is a number is in that column and any other field
// in the column of its place among the fields (the third field, the third column). Cells are
// RFC 4180: a cell in double quotes may hold the separator and doubled quotes; spaces
// around an unquoted cell are dropped. An empty cell is an absent value.
import type {DeviceProfile} from '../device-profile.js';
import {fail, readingFromTexts} from './field-values.js';
import type {TextParser} from './parse-result.js';

type CsvFormat = Extract<DeviceProfile['format'], {type: 'csv'}>;

const columnNumber = /^[1-9]\d*$/;

export function createCsvParser(
	profile: DeviceProfile,
	format: CsvFormat,
): TextParser {
	const {fields} = profile;
	const named = fields.filter((field) => !columnNumber.test(field.key));
	// The column of each field (0-based), as the latest header says.
	const columns = fields.map((field, index) =>
		columnNumber.test(field.key) ? Number(field.key) - 1 : index,
	);
	const needed = Math.max(0, ...columns.map((column) => column + 1));
	let headerColumns: number | undefined;

	const isHeader = (cells: readonly string[]): boolean =>
		format.header &&
		named.length > 0 &&
		named.every((field) => cells.includes(field.key));

	return (text) => {
		const cells = splitCells(text, format.separator);
		if (typeof cells === 'string') {
			return fail(cells);
		}

		if (isHeader(cells)) {
			for (const [index, field] of fields.entries()) {
				if (!columnNumber.test(field.key)) {
					columns[index] = cells.indexOf(field.key);
				}
			}

			headerColumns = cells.length;
			return {
				ok: 'ignored',
				note: `the device's header line: ${cells.length} columns`,
			};
		}

		const wrong =
			headerColumns === undefined
				? cells.length < needed ||
					(profile.unknownKeys === 'error' && cells.length > needed)
				: cells.length !== headerColumns;
		if (wrong) {
			return fail(
				`${cells.length} ${cells.length === 1 ? 'column' : 'columns'}, expected ${headerColumns ?? needed}`,
			);
		}

		return readingFromTexts(
			profile,
			columns.map((column) => {
				const cell = cells[column];
				return cell === '' ? undefined : cell;
			}),
		);
	};
}

/** The cells of a line, or the reason it has none (a quote left open). */
export function splitCells(text: string, separator: string): string[] | string {
	const cells: string[] = [];
	let index = 0;
	for (;;) {
		let start = index;
		while (text[start] === ' ') {
			start++;
		}

		if (text[start] === '"') {
			let cell = '';
			let from = start + 1;
			for (;;) {
				const quote = text.indexOf('"', from);
				if (quote === -1) {
					return `unterminated quote in column ${cells.length + 1}`;
				}

				cell += text.slice(from, quote);
				if (text[quote + 1] === '"') {
					cell += '"';
					from = quote + 2;
					continue;
				}

				index = quote + 1;
				break;
			}

			while (text[index] === ' ') {
				index++;
			}

			if (index < text.length && text[index] !== separator) {
				return `text after the closing quote in column ${cells.length + 1}`;
			}

			cells.push(cell);
		} else {
			const stop = text.indexOf(separator, index);
			index = stop === -1 ? text.length : stop;
			cells.push(text.slice(start, index).replace(/ +$/, ''));
		}

		if (index >= text.length) {
			return cells;
		}

		index++;
	}
}
