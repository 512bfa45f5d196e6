// A command's arguments, read against its flag specs with node:util's parseArgs. Its
// tokens give each flag as typed, so a message can quote the value the user wrote, and a
// lone `-` stays a value (`--report -`: stdout).
import {parseArgs} from 'node:util';
import type {FlagSpecs, FlagValue} from './command-spec.js';
import {UsageError} from './usage-error.js';

export type ParsedArguments =
	| {kind: 'help'}
	| {kind: 'version'}
	| {
			kind: 'run';
			input: string[];
			values: Record<string, FlagValue>;
			/** The flags given, by name (`--no-wait` is `wait`), in order. */
			given: string[];
	  };

/** A flag that no spec names; `flag` is as typed (`--prot`, `-x`). */
export class UnknownFlagError extends UsageError {
	override name = 'UnknownFlagError';
	readonly flag: string;

	constructor(flag: string) {
		super(`unknown flag ${flag}`);
		this.flag = flag;
	}
}

/** Throws UsageError (UnknownFlagError for a flag not in `specs`) for arguments it cannot take. */
export function parseFlags(
	specs: FlagSpecs,
	args: readonly string[],
): ParsedArguments {
	const {tokens} = parseArgs({
		args: [...args],
		// Checked below, with messages that say what to do.
		strict: false,
		allowPositionals: true,
		tokens: true,
		options: Object.fromEntries(
			Object.entries(specs).map(([name, spec]) => [
				name,
				{type: spec.type === 'boolean' ? 'boolean' : 'string'},
			]),
		),
	});
	const options = tokens.filter((token) => token.kind === 'option');
	if (options.some(({name}) => name === 'help' || name === 'h')) {
		return {kind: 'help'};
	}

	if (options.some(({name}) => name === 'version')) {
		return {kind: 'version'};
	}

	const values: Record<string, FlagValue> = Object.fromEntries(
		Object.entries(specs).map(([name, spec]) => [
			name,
			spec.type === 'boolean' ? (spec.default ?? false) : undefined,
		]),
	);
	const given: string[] = [];
	for (const token of options) {
		const {name, value} = readToken(specs, token);
		values[name] = value;
		given.push(name);
	}

	const input = tokens.flatMap((token) =>
		token.kind === 'positional' ? [token.value] : [],
	);
	return {kind: 'run', input, values, given};
}

type OptionToken = {
	name: string;
	rawName: string;
	value?: string;
	inlineValue?: boolean;
};

function readToken(
	specs: FlagSpecs,
	token: OptionToken,
): {name: string; value: FlagValue} {
	const negated = token.name.startsWith('no-') ? token.name.slice(3) : '';
	const negatedSpec = specs[negated];
	if (!Object.hasOwn(specs, token.name) && negatedSpec?.type === 'boolean') {
		if (token.inlineValue) {
			throw new UsageError(`${token.rawName} takes no value`);
		}

		return {name: negated, value: false};
	}

	const spec = Object.hasOwn(specs, token.name) ? specs[token.name] : undefined;
	if (spec === undefined) {
		throw new UnknownFlagError(token.rawName);
	}

	if (spec.type === 'boolean') {
		if (token.inlineValue) {
			throw new UsageError(`${token.rawName} takes no value`);
		}

		return {name: token.name, value: true};
	}

	// `--port --demo`: parseArgs would take the next flag for the value.
	const text =
		token.value?.startsWith('--') && token.inlineValue !== true
			? ''
			: token.value;
	if (text === undefined || text === '') {
		throw new UsageError(`${token.rawName} needs a value`);
	}

	if (spec.type === 'string') {
		return {name: token.name, value: text};
	}

	const number = Number(text);
	if (text.trim() === '' || !Number.isFinite(number) || !spec.valid(number)) {
		throw new UsageError(
			`${token.rawName} needs ${spec.expected}, got '${text}'`,
		);
	}

	return {name: token.name, value: number};
}
