// What each format's reader of unknown lines gives: the candidate format, the places a line
// holds values in (columns), and each line's values by place. The profile is then decided
// the same way for every format (profile-inference.ts).
import type {DeviceConfig} from '../device-config.js';

const plainNumber = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export type Cell =
	| {readonly kind: 'number'; readonly value: number; readonly decimals: number}
	| {readonly kind: 'text'; readonly text: string}
	/** A value no field can hold (a JSON boolean, array or object). */
	| {readonly kind: 'other'};

export type Column = {
	/** How rows name it. */
	readonly id: string;
	/** The field's key; undefined: the field's name is its key (a regex group). */
	readonly key: string | undefined;
	/** What the line calls it (a label, a member, a header cell), if anything. */
	readonly label: string | undefined;
	/** The unit the line prints with it, '' for none. */
	readonly unit: string;
	/** Its name when the line gives none of its own: derived from a neighbour. */
	readonly fallbackName?: string | undefined;
	/** Its type is fixed by the layout (a regex's number or word), not by its values. */
	readonly type?: 'number' | 'status' | undefined;
};

export type FormatOptions = Pick<
	DeviceConfig,
	'format' | 'assign' | 'separators' | 'separator' | 'header' | 'pattern'
>;

export type Extraction = {
	readonly columns: readonly Column[];
	/** Per text line: its values by column id, or undefined where the line has not this shape. */
	readonly rows: ReadonlyArray<ReadonlyMap<string, Cell> | undefined>;
	/** Lines that fit as the format's own (a CSV header), not readings. */
	readonly headerLines: number;
	/** Every column must become a field (a regex's groups), or a line with it would not read. */
	readonly allColumns: boolean;
	/** The format's options, given each kept column's final key (by column id). */
	format(keys: ReadonlyMap<string, string>): FormatOptions;
};

/** A value's text as the codec reads it: a plain decimal, or text. */
export function textCell(text: string): Cell {
	if (plainNumber.test(text)) {
		const value = Number(text);
		if (Number.isFinite(value)) {
			return {kind: 'number', value, decimals: decimalsOf(text)};
		}
	}

	return {kind: 'text', text};
}

export function decimalsOf(text: string): number {
	const match = /\.(\d+)/.exec(text);
	return Math.min(10, match?.[1]?.length ?? 0);
}
