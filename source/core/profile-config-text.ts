// An inferred device as config.yaml text: the `device:` section, and the rules commented
// out with what was seen beside them, since no threshold can be known from a few lines.
import type {Inference} from './profile-inference.js';

/** The `device:` section and the commented-out `rules:` (observed min/max beside each) as YAML text. */
export function deviceSectionText(
	inference: Extract<Inference, {ok: true}>,
): string {
	const {profile, fields} = inference;
	const out = ['device:', `  name: ${JSON.stringify(profile.name)}`];
	const {format} = profile;
	out.push(`  format: ${format.type}`);
	if (format.type === 'pairs') {
		out.push(
			`  assign: ${JSON.stringify(format.assign)}`,
			`  separators: ${JSON.stringify(format.separators)}`,
		);
	}

	out.push(`  unknown_keys: ${profile.unknownKeys}`, '  fields:');
	for (const field of profile.fields) {
		const parts = [
			`name: ${field.name}`,
			`key: ${JSON.stringify(field.key)}`,
			`label: ${JSON.stringify(field.label)}`,
		];
		if (field.type === 'number') {
			parts.push(
				`unit: ${JSON.stringify(field.unit)}`,
				`range: [${field.range.join(', ')}]`,
				`decimals: ${field.decimals}`,
			);
		} else {
			const levels = field.levels
				.map((level) => `${JSON.stringify(level.value)}: ${level.level}`)
				.join(', ');
			parts.push('type: status', `levels: {${levels}}`);
		}

		if (field.optional) {
			parts.push('optional: true');
		}

		out.push(`    - {${parts.join(', ')}}`);
	}

	out.push('', '# rules:');
	for (const field of fields) {
		out.push(
			field.type === 'number'
				? `#   - {field: ${field.name}, above: {warn: ?, crit: ?}}   # seen ${field.min}..${field.max}`
				: `#   - {field: ${field.name}, status: true}   # seen ${(field.levels ?? []).join(', ')}`,
		);
	}

	return `${out.join('\n')}\n`;
}
