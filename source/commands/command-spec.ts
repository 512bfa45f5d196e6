// What a sub-command declares about itself: its flags, its help, and the function that runs
// it. The command line (command-line.ts) parses the arguments against it and dispatches.
import type {CommandIo} from './command-io.js';

export type FlagSpec =
	| {
			type: 'boolean';
			description: string;
			/** true: the help shows `--no-<name>` (both spellings are taken). */
			default?: boolean;
	  }
	| {type: 'string'; value: string; description: string}
	| {
			type: 'number';
			value: string;
			description: string;
			valid: (n: number) => boolean;
			/** Completes `--<name> needs ...` when the value is not valid. */
			expected: string;
	  };

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

export type FlagValue = boolean | number | string | undefined;

export type FlagValues<F extends FlagSpecs> = {
	[K in keyof F]: F[K] extends {type: 'boolean'}
		? boolean
		: F[K] extends {type: 'number'}
			? number | undefined
			: string | undefined;
};

type CommandShape<F extends FlagSpecs, Values> = {
	name: string;
	/** One line, for the list of commands. */
	summary: string;
	/** The arguments after the flags in the usage line (`RAW_LOG`, `[CSV]`). */
	arguments?: string;
	/** How many arguments it takes at most (default 0). */
	maxArguments?: number;
	/** The help's paragraph on what it does. */
	description: string;
	flags: F;
	/** Said after the flags in the help (signals, defaults). */
	notes?: string;
	run(input: string[], flags: Values, io: CommandIo): Promise<number>;
};

export type CommandSpec<F extends FlagSpecs> = CommandShape<F, FlagValues<F>>;

/** A command as the dispatcher holds it: the values it passes were parsed from `flags`. */
export type Command = CommandShape<
	FlagSpecs,
	Readonly<Record<string, FlagValue>>
>;

/** Checks a command's `run` against its own flags, and hands it over as a Command. */
export function defineCommand<const F extends FlagSpecs>(
	spec: CommandSpec<F>,
): Command {
	return spec;
}
