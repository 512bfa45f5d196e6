/** An output file cannot be created or written: the CLI prints the message and exits 1. */
export class OutputError extends Error {
	override name = 'OutputError';
}
