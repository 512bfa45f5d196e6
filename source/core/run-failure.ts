/**
 * The run cannot go on, and the message says all the user needs (what failed, and how to
 * fix it): exit 1 with the message, no stack. A failure of any other kind is a bug, and
 * its stack is printed.
 */
export class RunFailure extends Error {
	override name = 'RunFailure';
}
