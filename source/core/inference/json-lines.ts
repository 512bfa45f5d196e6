// One JSON object per line: each member a place, a nested object's members under dotted
// paths (`{"env":{"t":23}}` holds env.t), as the json codec reads them.
import {isPlainObject} from '../plain-object.js';
import type {LineText} from './line-texts.js';
import {
	decimalsOf,
	type Cell,
	type Column,
	type Extraction,
} from './extraction.js';

// Deeper than a device nests, and bounded against a hostile line.
const maxDepth = 8;

export function jsonExtraction(texts: readonly LineText[]): Extraction {
	const order: string[] = [];
	const seen = new Set<string>();
	const rows = texts.map((text) => {
		const trimmed = text?.trim();
		if (!trimmed?.startsWith('{')) {
			return undefined;
		}

		let parsed: unknown;
		try {
			parsed = JSON.parse(trimmed);
		} catch {
			return undefined;
		}

		if (!isPlainObject(parsed)) {
			return undefined;
		}

		const cells = new Map<string, Cell>();
		flatten(parsed, '', 0, cells);
		for (const path of cells.keys()) {
			if (!seen.has(path)) {
				seen.add(path);
				order.push(path);
			}
		}

		return cells;
	});
	const columns: Column[] = order.map((path) => ({
		id: path,
		key: path,
		label: path.split('.').join(' '),
		unit: '',
	}));
	return {
		columns,
		rows,
		headerLines: 0,
		allColumns: false,
		format: () => ({format: 'json'}),
	};
}

function flatten(
	object: Record<string, unknown>,
	prefix: string,
	depth: number,
	cells: Map<string, Cell>,
): void {
	for (const [name, value] of Object.entries(object)) {
		// A member whose name holds a dot, or none, has no dotted path to it.
		if (name === '' || name.includes('.')) {
			continue;
		}

		const path = prefix === '' ? name : `${prefix}.${name}`;
		if (isPlainObject(value)) {
			if (depth < maxDepth) {
				flatten(value, path, depth + 1, cells);
			}
		} else if (typeof value === 'number') {
			cells.set(path, {
				kind: 'number',
				value,
				decimals: decimalsOf(String(value)),
			});
		} else if (typeof value === 'string') {
			cells.set(path, {kind: 'text', text: value});
		} else if (value !== null) {
			cells.set(path, {kind: 'other'});
		}
	}
}
