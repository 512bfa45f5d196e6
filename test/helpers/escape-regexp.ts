/** The text as a pattern that matches it literally (a path with dots in a RegExp). */
export function escapeRegExp(text: string): string {
	return text.replaceAll(/[.*+?^${}()|[\]\\]/g, String.raw`\$&`);
}
