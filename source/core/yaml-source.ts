// A YAML file read for validation: its data, and where each key and value sits in it, so
// that a problem found in the data can name its line and column (zod alone cannot). Shared
// by config.yaml and scenario files, which must report problems in the same form:
// `<source>:<line>:<col>: <key.path>: <problem>`.
import {
	isAlias,
	isCollection,
	isMap,
	isNode,
	isPair,
	isScalar,
	isSeq,
	LineCounter,
	parseDocument,
	visit,
	type Document,
	type Pair,
} from 'yaml';
import type {z} from 'zod';
import {errorMessage} from './error-message.js';

/** Keys and list indexes from the top of the document; [] is the document itself. */
export type YamlPath = ReadonlyArray<string | number>;

/**
 * `<source>:<line>:<col>` of a key or of its value. A path that is not in the file (a
 * missing key) gives the nearest enclosing node that is; no node at all gives `<source>`.
 */
export type Locate = (path: YamlPath, part?: 'key' | 'value') => string;

export type YamlSource =
	{ok: true; data: unknown; locate: Locate} | {ok: false; problems: string[]};

// A YAML "billion laughs" needs many alias expansions; a config or a scenario needs few.
const maxAliasCount = 50;
// The yaml package looks each alias up by a scan of the document's anchors and aliases,
// so many aliases (each within maxAliasCount) would still take quadratic time.
const maxAliases = 1000;

/**
 * Parse YAML text; an empty document reads as an empty mapping. Linear in the text's
 * size: the yaml package's own duplicate-key check and key lookups scan a mapping's keys
 * for each key, which took minutes for a file of 100,000 keys.
 */
export function readYaml(text: string, source: string): YamlSource {
	const lineCounter = new LineCounter();
	const document = parseDocument(text, {
		lineCounter,
		prettyErrors: false,
		uniqueKeys: false,
	});
	const at = (offset: number | undefined) => {
		if (offset === undefined) {
			return source;
		}

		const {line, col} = lineCounter.linePos(offset);
		return `${source}:${line}:${col}`;
	};

	if (document.errors.length > 0) {
		return {
			ok: false,
			problems: document.errors.map(
				(error) =>
					`${at(error.pos[0])}: YAML syntax: ${error.message.split('\n')[0] ?? ''}`,
			),
		};
	}

	const structure = structureProblems(document);
	if (structure.length > 0) {
		return {
			ok: false,
			problems: structure.map(
				({offset, message}) => `${at(offset)}: ${message}`,
			),
		};
	}

	let data: unknown;
	try {
		data = document.toJS({maxAliasCount}) ?? {};
	} catch (error) {
		return {ok: false, problems: [`${source}: ${errorMessage(error)}`]};
	}

	const keys = new KeyIndex();
	return {
		ok: true,
		data,
		locate: (path, part = 'value') =>
			at(offset(document.contents, path, part, keys)),
	};
}

type StructureProblem = {offset: number | undefined; message: string};

/**
 * Duplicate keys, and aliases that expand too much, each placed at its node: in one pass
 * in document order. The alias rule is the yaml package's own (an anchor's uses times the
 * expansions inside it may not pass maxAliasCount), checked here so that it names the line.
 */
function structureProblems(document: Document): StructureProblem[] {
	const problems: StructureProblem[] = [];
	const anchors = new Map<string, AnchorUse>();
	let aliases = 0;
	visit(document, (_key, node) => {
		if (isMap(node)) {
			const seen = new Set<string>();
			for (const pair of node.items) {
				if (isScalar(pair.key)) {
					const name = String(pair.key.value);
					if (seen.has(name)) {
						problems.push({
							offset: start(pair.key),
							message: `duplicate key ${JSON.stringify(name)}: a key may appear once in a mapping`,
						});
					}

					seen.add(name);
				}
			}
		}

		if (isNode(node) && !isAlias(node) && node.anchor) {
			anchors.set(node.anchor, {node, count: 1, expansions: 0});
		}

		if (!isAlias(node)) {
			return undefined;
		}

		aliases++;
		if (aliases > maxAliases) {
			problems.push({
				offset: start(node),
				message: `more than ${maxAliases} aliases (*name): refused, a config needs few`,
			});
			return visit.BREAK;
		}

		const use = anchors.get(node.source);
		if (use) {
			use.count++;
			if (use.expansions === 0) {
				use.expansions = expansionsOf(use.node, anchors);
			}

			if (use.count * use.expansions > maxAliasCount) {
				problems.push({
					offset: start(node),
					message: `alias *${node.source} expands too often (more than ${maxAliasCount} expansions in all): refused as a YAML alias bomb`,
				});
				return visit.BREAK;
			}
		}

		return undefined;
	});
	return problems;
}

type AnchorUse = {node: unknown; count: number; expansions: number};

/** As the yaml package counts what an anchored node expands to (its getAliasCount). */
function expansionsOf(
	node: unknown,
	anchors: ReadonlyMap<string, AnchorUse>,
): number {
	if (isAlias(node)) {
		const use = anchors.get(node.source);
		return use ? use.count * use.expansions : 0;
	}

	if (isCollection(node)) {
		let most = 0;
		for (const item of node.items) {
			most = Math.max(most, expansionsOf(item, anchors));
		}

		return most;
	}

	if (isPair(node)) {
		return Math.max(
			expansionsOf(node.key, anchors),
			expansionsOf(node.value, anchors),
		);
	}

	return 1;
}

/** Each mapping's pairs by key, built on first lookup, so that placing n problems is linear. */
class KeyIndex {
	readonly #byMap = new WeakMap<object, Map<string, Pair>>();

	pair(map: {items: Pair[]}, key: string): Pair | undefined {
		let index = this.#byMap.get(map);
		if (!index) {
			index = new Map();
			for (const pair of map.items) {
				if (isScalar(pair.key)) {
					const name = String(pair.key.value);
					if (!index.has(name)) {
						index.set(name, pair);
					}
				}
			}

			this.#byMap.set(map, index);
		}

		return index.get(key);
	}
}

/** `steps[3].voltage_v`: list indexes in brackets, keys joined with dots. */
function keyName(path: YamlPath): string {
	let name = '';
	for (const key of path) {
		name +=
			typeof key === 'number' ? `[${key}]` : name === '' ? key : `.${key}`;
	}

	return name || '(top level)';
}

/** One problem line, placed at the value (or the key) of path. */
export function problemAt(
	locate: Locate,
	path: YamlPath,
	message: string,
	part: 'key' | 'value' = 'value',
): string {
	return `${locate(path, part)}: ${keyName(path)}: ${message}`;
}

/**
 * Problem lines for the issues zod found in value, which sits at path in the file. An
 * unknown key is placed at the key, anything else at the value.
 */
export function issueProblems(
	issues: readonly z.core.$ZodIssue[],
	locate: Locate,
	value: unknown,
	path: YamlPath = [],
): string[] {
	return issues.flatMap((issue) => {
		const issuePath = issue.path.map((key) =>
			typeof key === 'symbol' ? String(key) : key,
		);
		const full = [...path, ...issuePath];
		if (issue.code === 'unrecognized_keys') {
			return issue.keys.map((key) =>
				problemAt(locate, [...full, key], 'unknown key', 'key'),
			);
		}

		return [problemAt(locate, full, describe(issue, value))];
	});
}

const typeNames: Record<string, string> = {
	number: 'a number',
	int: 'a whole number',
	string: 'a string',
	boolean: 'true or false',
	array: 'a list',
	object: 'a mapping',
};

/** A wrong type says what was expected and what was found, or `required` if nothing was. */
function describe(issue: z.core.$ZodIssue, value: unknown): string {
	// Bounds in plain words, with the value found, instead of zod's "Too small: expected number to be >0".
	if (
		(issue.code === 'too_small' || issue.code === 'too_big') &&
		/^Too (small|big)/.test(issue.message)
	) {
		const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
		const relation =
			issue.code === 'too_small'
				? issue.inclusive
					? 'at least'
					: 'above'
				: issue.inclusive
					? 'at most'
					: 'below';
		return `must be ${relation} ${String(bound)}, got ${show(getIn(value, issue.path))}`;
	}

	if (issue.code !== 'invalid_type') {
		return issue.message;
	}

	const found = getIn(value, issue.path);
	if (found === undefined) {
		return 'required';
	}

	const expected = typeNames[issue.expected];
	return expected === undefined
		? issue.message
		: `expected ${expected}, got ${show(found)}`;
}

function show(value: unknown): string {
	if (typeof value === 'string') {
		return JSON.stringify(value);
	}

	if (Array.isArray(value)) {
		return 'a list';
	}

	return typeof value === 'object' && value !== null
		? 'a mapping'
		: String(value);
}

function getIn(value: unknown, path: readonly PropertyKey[]): unknown {
	let current = value;
	for (const key of path) {
		if (typeof current !== 'object' || current === null) {
			return undefined;
		}

		current = Reflect.get(current, key);
	}

	return current;
}

/** Where a key or its value starts in the text; see Locate for paths not in the file. */
function offset(
	root: unknown,
	path: YamlPath,
	part: 'key' | 'value',
	keys: KeyIndex,
): number | undefined {
	// The deepest node on the path that is in the file, and the pair that holds it.
	let node = root;
	let found = start(root);
	for (const [depth, step] of path.entries()) {
		const last = depth === path.length - 1;
		if (isMap(node)) {
			const pair = keys.pair(node, String(step));
			if (!pair) {
				break;
			}

			found =
				last && part === 'key'
					? start(pair.key)
					: (start(pair.value) ?? start(pair.key));
			node = pair.value;
		} else if (isSeq(node) && typeof step === 'number') {
			const item: unknown = node.items[step];
			const itemStart = start(item);
			if (itemStart === undefined) {
				break;
			}

			found = itemStart;
			node = item;
		} else {
			break;
		}
	}

	return found;
}

function start(node: unknown): number | undefined {
	return isNode(node) ? node.range?.[0] : undefined;
}
