/** The message of anything thrown: an Error's own, or the value as text. */
export function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** The errno code of a Node.js system error (ENOENT, EACCES...), if it has one. */
export function errorCode(error: unknown): string | undefined {
	return error instanceof Error &&
		'code' in error &&
		typeof error.code === 'string'
		? error.code
		: undefined;
}
