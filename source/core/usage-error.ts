// The command line asked for something that cannot be done as asked: exit 2 with the message.
export class UsageError extends Error {
	override name = 'UsageError';
}
