// From the arguments to an exit code: find the command, parse its flags against its spec
// (meow, in parse-flags.ts), answer --help and --version, run it, and turn whatever it
// throws into a message and an exit code (core/describe-failure.ts).
import {closestMatch} from '../core/closest-match.js';
import {describeFailure} from '../core/describe-failure.js';
import type {CommandIo} from './command-io.js';
import {commandHelp, mainHelp} from './command-help.js';
import type {Command} from './command-spec.js';
import {detectCommand} from './detect-command.js';
import {emulateCommand} from './emulate-command.js';
import {initCommand} from './init-command.js';
import {monitorCommand} from './monitor-command.js';
import {parseFlags, UnknownFlagError} from './parse-flags.js';
import {portsCommand} from './ports-command.js';
import {replayCommand} from './replay-command.js';
import {UsageError} from './usage-error.js';

// Each command imports its implementation only when it runs, so that a `replay` does not
// load ink, react and serialport first.
export const commands: readonly Command[] = [
	monitorCommand,
	emulateCommand,
	replayCommand,
	detectCommand,
	portsCommand,
	initCommand,
];

/** The command that runs when none is named. */
const mainCommand = monitorCommand;

export async function runCommandLine(
	args: readonly string[],
	io: CommandIo,
): Promise<number> {
	let command: Command | undefined;
	try {
		command = findCommand(args[0]);
		return await runCommand(
			command,
			command === mainCommand && args[0] !== mainCommand.name
				? args
				: args.slice(1),
			io,
		);
	} catch (error) {
		const {exitCode, message} = describeFailure(error);
		const who =
			command === undefined || command === mainCommand
				? 'serialwatch'
				: `serialwatch ${command.name}`;
		io.stderr(`${who}: ${message}\n`);
		return exitCode;
	}
}

/** A first argument that is not a flag names the command; without one, the monitor runs. */
function findCommand(first: string | undefined): Command {
	if (first === undefined || first.startsWith('-')) {
		return mainCommand;
	}

	const command = commands.find(({name}) => name === first);
	if (command) {
		return command;
	}

	const near = closestMatch(
		first,
		commands.map(({name}) => name),
	);
	throw new UsageError(
		`unknown command '${first}'${near ? ` (did you mean ${near}?)` : ''}; commands: ${commands.map(({name}) => name).join(', ')} (serialwatch --help)`,
	);
}

async function runCommand(
	command: Command,
	args: readonly string[],
	io: CommandIo,
): Promise<number> {
	let parsed;
	try {
		parsed = parseFlags(command.flags, args);
	} catch (error) {
		throw error instanceof UnknownFlagError
			? unknownFlag(command, error.flag)
			: error;
	}

	switch (parsed.kind) {
		case 'help': {
			io.stdout(
				`${command === mainCommand ? mainHelp(commands, mainCommand) : commandHelp(command)}\n`,
			);
			return 0;
		}

		case 'version': {
			io.stdout(`${parsed.version}\n`);
			return 0;
		}

		case 'run': {
			const {input, values} = parsed;
			const extra = input.slice(command.maxArguments ?? 0);
			if (extra.length > 0) {
				throw new UsageError(
					`too many arguments for ${command.name}: ${extra.join(' ')}${commands.some(({name}) => name === extra[0]) ? ` (the command goes first: serialwatch ${extra[0]} ...)` : ''}`,
				);
			}

			return command.run(input, values, io);
		}
	}
}

/** A flag of another command does not apply here; any other gets the nearest of this command's. */
function unknownFlag(command: Command, typed: string): UsageError {
	const name = typed.replace(/^-+/v, '');
	const help =
		command === mainCommand
			? 'serialwatch --help'
			: `serialwatch ${command.name} --help`;
	const negated = name.startsWith('no-') ? name.slice(3) : '';
	if (
		typed.startsWith('--') &&
		commands.some(
			({flags}) =>
				Object.hasOwn(flags, name) ||
				(Object.hasOwn(flags, negated) && flags[negated]?.type === 'boolean'),
		)
	) {
		return new UsageError(
			`${typed} does not apply to ${command.name}; ${help} lists its flags`,
		);
	}

	const near = closestMatch(name, [
		...Object.keys(command.flags),
		'help',
		'version',
	]);
	return new UsageError(
		`unknown flag ${typed}${near ? ` (did you mean --${near}?)` : ''}; ${help} lists the flags`,
	);
}
