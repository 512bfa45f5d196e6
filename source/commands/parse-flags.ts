// A command's arguments, parsed by meow against that command's flag specs. meow reads the
// flags, their `--flag=value` and `--no-<flag>` forms, `-h` and the arguments; what it leaves
// to its caller is here, so that each mistake gets a message that says what to do:
// - its own unknown-flag check prints a bare `Unknown flag` and exits, so it is off and a
//   flag no spec names is found here, as typed;
// - its `number` type turns 'abc' into NaN, so numbers are read as strings and checked here,
//   to quote what was typed;
// - a lone `-` would be an argument, so `--report -` (stdout) is joined before meow reads it.
import meow, {type AnyFlags} from 'meow';
import type {FlagSpec, FlagSpecs, FlagValue} from './command-spec.js';
import {UsageError} from './usage-error.js';

export type ParsedArguments =
	| {kind: 'help'}
	| {kind: 'version'; version: string}
	| {kind: 'run'; input: string[]; values: Record<string, FlagValue>};

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
	const cli = readWithMeow(specs, args);
	if (cli.flags['help'] === true) {
		return {kind: 'help'};
	}

	if (cli.flags['version'] === true) {
		return {kind: 'version', version: cli.pkg.version ?? 'unknown'};
	}

	for (const flag of typedFlags(args)) {
		checkTypedFlag(specs, flag);
	}

	const values = Object.fromEntries(
		Object.entries(specs).map(([name, spec]) => [
			name,
			flagValue(name, spec, cli.flags[meowName(name)]),
		]),
	);
	return {kind: 'run', input: cli.input.map(String), values};
}

function readWithMeow(specs: FlagSpecs, args: readonly string[]) {
	try {
		return meow({
			importMeta: import.meta,
			argv: joinDashValues(specs, args),
			flags: meowFlags(specs),
			// Found by checkTypedFlag instead, so that the dispatcher can name the nearest flag.
			allowUnknownFlags: true,
			// Each command prints its own help (command-help.ts) through the command's io.
			autoHelp: false,
			autoVersion: false,
		});
	} catch (error) {
		// A flag given twice: meow throws a plain Error, which is bad usage here.
		const repeated =
			error instanceof Error
				? /(?<flag>--\S+) can only be set once/v.exec(error.message)
				: null;
		if (repeated?.groups?.['flag']) {
			throw new UsageError(
				`${repeated.groups['flag']} is given more than once`,
			);
		}

		throw error;
	}
}

/** Numbers are strings to meow: they are checked by flagValue against the text typed. */
function meowFlags(specs: FlagSpecs): AnyFlags {
	return {
		...Object.fromEntries(
			Object.entries(specs).map(([name, spec]) => [
				meowName(name),
				spec.type === 'boolean'
					? {type: 'boolean', default: spec.default ?? false}
					: {type: 'string'},
			]),
		),
		help: {type: 'boolean', shortFlag: 'h'},
		version: {type: 'boolean'},
	};
}

/** meow takes flag names in camelCase (`fromPort` for `--from-port`); specs name them as typed. */
function meowName(name: string): string {
	return name.replaceAll(/-(?<letter>[a-z])/gv, (_match, letter: string) =>
		letter.toUpperCase(),
	);
}

/** `--report -` becomes `--report=-`: the parser takes a lone `-` for an argument. */
function joinDashValues(specs: FlagSpecs, args: readonly string[]): string[] {
	const takesValue = (argument: string | undefined) => {
		const name = argument?.startsWith('--') ? argument.slice(2) : '';
		return Object.hasOwn(specs, name) && specs[name]?.type !== 'boolean';
	};

	return args.flatMap((argument, index) =>
		argument === '-' && takesValue(args[index - 1])
			? []
			: args[index + 1] === '-' && takesValue(argument)
				? [`${argument}=-`]
				: [argument],
	);
}

type TypedFlag = {
	/** As typed, without its `=value`: `--prot`, `-x`. */
	typed: string;
	/** A long flag's name (`no-wait`); undefined for a short one. */
	name: string | undefined;
	inlineValue: boolean;
};

// What yargs-parser (under meow) takes for a value, not a flag.
const negativeNumber = /^-(?:\d+(?:\.\d+)?|\.\d+)$/v;

/** The flags on the command line, before `--`, as the parser reads them. */
function typedFlags(args: readonly string[]): TypedFlag[] {
	const end = args.indexOf('--');
	return (end === -1 ? args : args.slice(0, end)).flatMap((argument) => {
		if (
			argument === '-' ||
			!argument.startsWith('-') ||
			negativeNumber.test(argument)
		) {
			return [];
		}

		const typed = argument.split('=', 1)[0]!;
		return [
			{
				typed,
				name: typed.startsWith('--') ? typed.slice(2) : undefined,
				inlineValue: typed !== argument,
			},
		];
	});
}

function checkTypedFlag(
	specs: FlagSpecs,
	{typed, name, inlineValue}: TypedFlag,
) {
	const negated = name?.startsWith('no-') ? name.slice(3) : '';
	const spec =
		name !== undefined && Object.hasOwn(specs, name)
			? specs[name]
			: Object.hasOwn(specs, negated) && specs[negated]?.type === 'boolean'
				? specs[negated]
				: undefined;
	// -h, --help and --version were answered before; any other short flag is unknown.
	if (spec === undefined && name !== 'help' && name !== 'version') {
		throw new UnknownFlagError(typed);
	}

	if (inlineValue && (spec === undefined || spec.type === 'boolean')) {
		throw new UsageError(`${typed} takes no value`);
	}
}

function flagValue(name: string, spec: FlagSpec, value: unknown): FlagValue {
	if (spec.type === 'boolean') {
		return typeof value === 'boolean' ? value : (spec.default ?? false);
	}

	if (value === undefined) {
		return undefined;
	}

	// `--port` last, `--port=` and `--port --demo` all leave it empty.
	if (typeof value !== 'string' || value === '') {
		throw new UsageError(`--${name} needs a value`);
	}

	if (spec.type === 'string') {
		return value;
	}

	const number = Number(value);
	if (value.trim() === '' || !Number.isFinite(number) || !spec.valid(number)) {
		throw new UsageError(`--${name} needs ${spec.expected}, got '${value}'`);
	}

	return number;
}
