// What a command gets from the CLI: its output streams and the signal that stops it
// (SIGINT/SIGTERM). Tests pass their own.
export type CommandIo = {
	signal: AbortSignal;
	stdout(text: string): void;
	stderr(text: string): void;
};

/** Where a command sends what is legal but likely not meant in its config. */
export function warnAbout(io: CommandIo): (warning: string) => void {
	return (warning) => {
		io.stderr(`serialwatch: warning: ${warning}\n`);
	};
}
