// What YAML and JSON call a mapping: an object that is not an array (or null).
export function isPlainObject(
	value: unknown,
): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
