// `label:value` / `label=value` parts (the Arduino Serial Plotter's convention): the
// assignment characters and the separators are the ones the lines use.
import type {LineText} from './line-texts.js';
import {
	textCell,
	type Cell,
	type Column,
	type Extraction,
} from './extraction.js';

const separatorChars = ',;|\t';
// A label: what a sketch prints before its value; a value: anything up to a separator.
const part =
	/(?<separator> *[,;|\t] *| +)?(?<key>[A-Za-z_][\w.-]*)(?<assign>[:=])(?<value>[^\s,;|:=]+)/y;

type PairsLine = {
	cells: Map<string, Cell>;
	assigns: string;
	separators: string;
};

export function pairsExtraction(texts: readonly LineText[]): Extraction {
	const order: string[] = [];
	const seen = new Set<string>();
	let assigns = '';
	let separators = '';
	const rows = texts.map((text) => {
		const line = text === undefined ? undefined : pairsLine(text);
		if (line === undefined) {
			return undefined;
		}

		for (const key of line.cells.keys()) {
			if (!seen.has(key)) {
				seen.add(key);
				order.push(key);
			}
		}

		assigns += line.assigns;
		separators += line.separators;
		return line.cells;
	});
	const assign = [':', '='].filter((char) => assigns.includes(char)).join('');
	const separatorSet = [...separatorChars, ' '].filter((char) =>
		separators.includes(char),
	);
	const columns: Column[] = order.map((key) => ({
		id: key,
		key,
		label: key,
		unit: '',
	}));
	return {
		columns,
		rows,
		headerLines: 0,
		allColumns: false,
		format: () => ({
			format: 'pairs',
			assign: assign === '' ? ':' : assign,
			// A line of one pair shows none: a comma, as the Plotter's sketches print.
			separators: separatorSet.length === 0 ? ',' : separatorSet.join(''),
		}),
	};
}

function pairsLine(text: string): PairsLine | undefined {
	const trimmed = text.replace(/^ +/, '');
	const trailing = trimmed.length === text.length ? '' : ' ';
	const body = trimmed.replace(/ +$/, '');
	const cells = new Map<string, Cell>();
	let assigns = '';
	let separators = trailing === '' && body.length === trimmed.length ? '' : ' ';
	part.lastIndex = 0;
	while (part.lastIndex < body.length) {
		const start = part.lastIndex;
		const match = part.exec(body);
		const groups = match?.groups;
		if (!groups || start > 0 !== (groups['separator'] !== undefined)) {
			return undefined;
		}

		const key = groups['key']!;
		if (cells.has(key)) {
			return undefined;
		}

		cells.set(key, textCell(groups['value']!));
		assigns += groups['assign']!;
		separators += groups['separator'] ?? '';
	}

	return cells.size === 0 ? undefined : {cells, assigns, separators};
}
