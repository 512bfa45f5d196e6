// A YAML file read for validation: its data, and where each key and value sits in it, so
// that a problem found in the data can name its line and column (zod alone cannot). Shared
// by config.yaml and scenario files, which must report problems in the same form:
// `<source>:<line>:<col>: <key.path>: <problem>`.
import {
	isMap,
	isNode,
	isScalar,
	isSeq,
	LineCounter,
	parseDocument,
	type Document,
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

/** Parse YAML text; an empty document reads as an empty mapping. */
export function readYaml(text: string, source: string): YamlSource {
	const lineCounter = new LineCounter();
	const document = parseDocument(text, {lineCounter, prettyErrors: false});
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

	let data: unknown;
	try {
		data = document.toJS({maxAliasCount}) ?? {};
	} catch (error) {
		return {ok: false, problems: [`${source}: ${errorMessage(error)}`]};
	}

	return {
		ok: true,
		data,
		locate: (path, part = 'value') => at(offset(document, path, part)),
	};
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
	document: Document,
	path: YamlPath,
	part: 'key' | 'value',
): number | undefined {
	if (path.length === 0) {
		return start(document.contents);
	}

	const parent = document.getIn(path.slice(0, -1), true);
	const last = path.at(-1)!;
	if (isMap(parent)) {
		const pair = parent.items.find(
			(item) => isScalar(item.key) && String(item.key.value) === String(last),
		);
		if (pair) {
			return start(part === 'key' ? pair.key : pair.value) ?? start(pair.key);
		}
	} else if (isSeq(parent) && typeof last === 'number') {
		const found = start(parent.items[last]);
		if (found !== undefined) {
			return found;
		}
	}

	return offset(document, path.slice(0, -1), 'value');
}

function start(node: unknown): number | undefined {
	return isNode(node) ? node.range?.[0] : undefined;
}
