// The help a command prints, made from its spec: the usage line and the flag list come from
// the same flag specs the parser reads, so they cannot disagree.
import type {Command, FlagSpec} from './command-spec.js';

export const exitCodesLine =
	'Exit codes: 0 done, 1 runtime failure, 2 bad usage or bad config.';

/** `serialwatch emulate [--config FILE] [--pair]`; the default command's name in brackets. */
export function usageLine(command: Command, isDefault = false): string {
	const name = isDefault ? `[${command.name}]` : command.name;
	const flags = Object.entries(command.flags).map(
		([flag, spec]) => `[${flagLabel(flag, spec)}]`,
	);
	return ['serialwatch', name, command.arguments, ...flags]
		.filter(Boolean)
		.join(' ');
}

export function commandHelp(command: Command): string {
	return [
		`Usage\n  $ ${usageLine(command)}`,
		indent(command.description),
		`Options\n${flagList(command)}`,
		...(command.notes ? [command.notes] : []),
		exitCodesLine,
	].join('\n\n');
}

/** `serialwatch --help`: every command, and the flags of the default one. */
export function mainHelp(commands: readonly Command[], main: Command): string {
	const width = Math.max(...commands.map(({name}) => name.length));
	return [
		`Usage\n${commands.map((command) => `  $ ${usageLine(command, command === main)}`).join('\n')}`,
		`Commands\n${commands
			.map(({name, summary}) => `  ${name.padEnd(width)}  ${summary}`)
			.join(
				'\n',
			)}\n  \`serialwatch COMMAND --help\` shows what a command does and its flags.`,
		indent(main.description),
		`Options (${main.name})\n${flagList(main)}`,
		...(main.notes ? [main.notes] : []),
		exitCodesLine,
	].join('\n\n');
}

function flagLabel(flag: string, spec: FlagSpec): string {
	return spec.type === 'boolean'
		? spec.default
			? `--no-${flag}`
			: `--${flag}`
		: `--${flag} ${spec.value}`;
}

function flagList(command: Command): string {
	const rows = [
		...Object.entries(command.flags).map(
			([flag, spec]) => [flagLabel(flag, spec), spec.description] as const,
		),
		['-h, --help', 'this help'] as const,
	];
	const width = Math.max(...rows.map(([label]) => label.length));
	return rows
		.map(([label, description]) =>
			`  ${label.padEnd(width)}  ${description.replaceAll('\n', `\n  ${' '.repeat(width)}  `)}`.trimEnd(),
		)
		.join('\n');
}

function indent(text: string): string {
	return text
		.split('\n')
		.map((line) => (line ? `  ${line}` : line))
		.join('\n');
}
