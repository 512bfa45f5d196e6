// The inferred device as config.yaml text: the `device:` section, commented, and the rules
// it cannot know written out commented, with what was seen beside each, for the user to set.
import {escapeText} from './codec/escape-bytes.js';
import type {FieldConfig} from './device-config.js';
import {countText} from './inference/line-texts.js';
import type {Inference, InferredField} from './profile-inference.js';

type Inferred = Extract<Inference, {ok: true}>;

// Plain YAML scalars that read as something other than a string, in YAML 1.1 or 1.2.
const notPlain = /^(?:true|false|null|yes|no|on|off|y|n|~)$/i;

// What a file shown in a terminal must not hold raw (an escape sequence, a bidi override),
// and what YAML cannot hold in a single-quoted scalar.
const unprintable = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/**
 * A string as a YAML scalar: plain where that reads back the same, single-quoted, or
 * double-quoted with \uXXXX escapes where it holds a control or format character.
 */
export function yamlString(text: string): string {
	if (/^[A-Za-z_][\w.-]*$/.test(text) && !notPlain.test(text)) {
		return text;
	}

	if (!new RegExp(unprintable.source, 'u').test(text)) {
		return `'${text.replaceAll("'", "''")}'`;
	}

	const escaped = text
		.replaceAll('\\', '\\\\')
		.replaceAll('"', String.raw`\"`)
		.replaceAll(
			unprintable,
			(char) =>
				String.raw`\u` + char.codePointAt(0)!.toString(16).padStart(4, '0'),
		);
	return `"${escaped}"`;
}

/** The `device:` section and the commented-out `rules:` (observed min/max beside each) as YAML text. */
export function deviceSectionText(inference: Inferred): string {
	const {device, fields, skipped} = inference;
	const out: string[] = [
		'device:',
		`  # Inferred from ${countText(inference.total)} ${plural(inference.total, 'line')}: ${countText(inference.matched)} read as this device's, ${countText(inference.unmatched.count)} not.`,
		"  # The device's label in every output: null takes the port's file name.",
		'  name: null',
		`  format: ${device.format ?? 'pairs'}`,
	];
	if (device.assign !== undefined) {
		out.push(`  assign: ${yamlString(device.assign)}`);
	}

	if (device.separators !== undefined) {
		out.push(`  separators: ${quoted(device.separators)}`);
	}

	if (device.separator !== undefined) {
		out.push(`  separator: ${quoted(device.separator)}`);
	}

	if (device.header !== undefined) {
		out.push(`  header: ${String(device.header)}`);
	}

	if (device.pattern !== undefined) {
		out.push(
			'  # One named group per value; the text around kept as it was seen (RE2 syntax).',
			`  pattern: ${yamlString(device.pattern)}`,
		);
	}

	out.push(
		'  # Keys (members, columns) no field declares are skipped.',
		`  unknown_keys: ${device.unknown_keys ?? 'ignore'}`,
		'  fields:',
	);
	for (const [index, field] of (device.fields ?? []).entries()) {
		const seen = fields[index]!;
		for (const note of [seenText(seen, inference.matched), ...seen.notes]) {
			out.push(`    # ${note}`);
		}

		out.push(
			`    - ${fieldText(field, device.format === 'csv' && device.header !== true)}`,
		);
	}

	for (const {key, why} of skipped) {
		out.push(`    # not declared: ${key} (${why})`);
	}

	out.push(
		'',
		'# No threshold is proposed: only you know what is too high or too low. Set the',
		'# levels (in place of LOW and HIGH) and uncomment the rules you want; see the README.',
		'# rules:',
	);
	for (const field of fields) {
		if (field.type === 'number') {
			const unit = field.unit === '' ? '' : ` ${field.unit}`;
			const seen =
				field.min === undefined
					? 'no value seen'
					: `seen ${field.min}..${String(field.max)}${unit}`;
			out.push(
				`#   - {field: ${field.name}, outside: [LOW, HIGH], severity: WARNING}   # ${seen}`,
			);
		} else {
			out.push(
				`#   - {field: ${field.name}, status: true}   # the device's own level: seen ${(field.levels ?? []).join(', ')}`,
			);
		}
	}

	// A comment quotes what the device sent (a key, a status text): escaped, as a terminal
	// that shows the file must not run it.
	const shown = out.map((line) =>
		line.trimStart().startsWith('#') ? escapeText(line) : line,
	);
	return `${shown.join('\n')}\n`;
}

function seenText(field: InferredField, matched: number): string {
	const presence = field.always
		? `in every line read (${countText(field.samples)})`
		: `in ${countText(field.samples)} of ${countText(matched)} lines: optional`;
	if (field.type === 'number') {
		const range =
			field.min === undefined ? '' : ` ${field.min}..${String(field.max)}`;
		return `${field.key}: seen${range}${field.unit === '' ? '' : ` ${field.unit}`} ${presence}`;
	}

	return `${field.key}: seen ${(field.levels ?? []).join(', ')} ${presence}`;
}

function fieldText(field: FieldConfig, columnNumber: boolean): string {
	const parts = [
		`name: ${field.name}`,
		`key: ${columnNumber ? String(field.key) : yamlString(String(field.key))}`,
	];
	if (field.type === 'status') {
		parts.push('type: status');
	}

	if (field.unit !== undefined) {
		parts.push(`unit: ${yamlString(field.unit)}`);
	}

	if (field.range !== undefined) {
		parts.push(`range: [${field.range[0]}, ${field.range[1]}]`);
	}

	if (field.decimals !== undefined) {
		parts.push(`decimals: ${field.decimals}`);
	}

	if (field.optional !== undefined) {
		parts.push(`optional: ${String(field.optional)}`);
	}

	if (field.levels !== undefined) {
		const levels = Object.entries(field.levels).map(
			([text, level]) => `${yamlString(text)}: ${level}`,
		);
		parts.push(`levels: {${levels.join(', ')}}`);
	}

	return `{${parts.join(', ')}}`;
}

/** A string of separators in double quotes, a tab as \t. */
function quoted(text: string): string {
	return JSON.stringify(text);
}

function plural(count: number, word: string): string {
	return count === 1 ? word : `${word}s`;
}
