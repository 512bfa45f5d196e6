// The config `init --from-port/--from-file` writes: the default config.yaml, every other key
// and comment kept, with the port and speed that were used, the device that was seen in
// place of the built-in one's, and none of the built-in device's own settings (a declared
// device ignores them, with a warning at every start).

export type InferredConfigParts = {
	/** The default config.yaml's text. */
	defaults: string;
	port: string;
	baudRate: number;
	/** deviceSectionText's: the `device:` section and the commented rules. */
	device: string;
	/** Comment lines said first: where the device was seen and how well it was read. */
	heading: readonly string[];
};

export function inferredConfigText(parts: InferredConfigParts): string {
	let text = parts.defaults;
	text = replaceValue(text, ['serial', 'port'], JSON.stringify(parts.port));
	text = replaceValue(text, ['serial', 'baud_rate'], String(parts.baudRate));
	// Emulating this config plays the device it declares, as the shipped examples do.
	text = replaceValue(text, ['emulator', 'scenario'], 'tour', [
		'tour: the device declared below, its lines generated from its fields (a calm stretch,',
		'then a fault of each kind); mixed, normal or failure play the built-in device instead.',
	]);
	text = removeKey(text, ['protocol']);
	text = removeKey(text, ['thresholds', 'temperature']);
	text = removeKey(text, ['thresholds', 'voltage']);
	const device = /^device:\n[\s\S]*?(?=^exporters:)/m;
	if (!device.test(text)) {
		throw new Error(
			'the default config has no device: section before exporters:',
		);
	}

	// A function, not a string: a replacement string reads `$'` and `$&` in a regex
	// device's pattern (`...°F$'`) as the text after or of the match.
	text = text.replace(device, () => `${parts.device.trimEnd()}\n\n`);
	const heading = parts.heading.map((line) => `# ${line}`.trimEnd());
	return `${heading.join('\n')}\n#\n${text}`;
}

const indentOf = (line: string) => line.length - line.trimStart().length;
const isBlank = (line: string) => line.trim() === '';

/** The line range [start, end) of a key's block: the key, what is nested under it, and the comments right above it. */
function keyBlock(
	lines: readonly string[],
	path: readonly string[],
): {start: number; keyLine: number; end: number} {
	let from = 0;
	let to = lines.length;
	let keyLine = -1;
	for (const [depth, key] of path.entries()) {
		const indent = depth * 2;
		keyLine = -1;
		for (let index = from; index < to; index++) {
			const line = lines[index]!;
			if (indentOf(line) === indent && line.trimStart().startsWith(`${key}:`)) {
				keyLine = index;
				break;
			}
		}

		if (keyLine === -1) {
			throw new Error(`the default config has no ${path.join('.')}`);
		}

		let end = keyLine + 1;
		while (
			end < to &&
			(isBlank(lines[end]!) || indentOf(lines[end]!) > indent)
		) {
			end++;
		}

		// Blank lines and the next key's comments at the end belong to what follows.
		while (
			end > keyLine + 1 &&
			(isBlank(lines[end - 1]!) || lines[end - 1]!.trimStart().startsWith('#'))
		) {
			end--;
		}

		from = keyLine + 1;
		to = end;
	}

	const indent = (path.length - 1) * 2;
	let start = keyLine;
	while (
		start > 0 &&
		indentOf(lines[start - 1]!) === indent &&
		lines[start - 1]!.trimStart().startsWith('#')
	) {
		start--;
	}

	return {start, keyLine, end: to};
}

function removeKey(text: string, path: readonly string[]): string {
	const lines = text.split('\n');
	const {start, end} = keyBlock(lines, path);
	lines.splice(start, end - start);
	// A top-level section leaves no double blank line behind.
	if (isBlank(lines[start - 1] ?? 'x') && isBlank(lines[start] ?? 'x')) {
		lines.splice(start, 1);
	}

	return lines.join('\n');
}

/** The key's value, and with `comment` the comment lines right above it, replaced. */
function replaceValue(
	text: string,
	path: readonly string[],
	value: string,
	comment?: readonly string[],
): string {
	const lines = text.split('\n');
	const {start, keyLine} = keyBlock(lines, path);
	const line = lines[keyLine]!;
	const key = path.at(-1)!;
	const indent = ' '.repeat(indentOf(line));
	lines[keyLine] = `${indent}${key}: ${value}`;
	if (comment !== undefined) {
		lines.splice(
			start,
			keyLine - start,
			...comment.map((said) => `${indent}# ${said}`),
		);
	}

	return lines.join('\n');
}
