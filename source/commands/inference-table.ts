// What init inferred, as a person reads it: one row per field (its type, unit, the values
// seen and in how many lines), how many lines were read as the device, and the lines that
// were not, counted and a few shown.
import {escapeText} from '../core/codec/escape-bytes.js';
import type {Inference, InferredField} from '../core/profile-inference.js';

const head = ['field', 'type', 'unit', 'seen', 'samples'] as const;

function seen(field: InferredField): string {
	if (field.type === 'status') {
		return (field.levels ?? []).join(', ');
	}

	return field.min === undefined || field.max === undefined
		? ''
		: `${field.min}..${field.max}`;
}

export function inferenceTable(
	inference: Extract<Inference, {ok: true}>,
): string {
	// Names, units and status texts come from the device: escaped, never sent raw to a terminal.
	const rows = inference.fields.map((field) =>
		[
			field.name,
			field.type,
			field.unit,
			seen(field),
			`${field.samples}${field.always ? '' : ' (optional)'}`,
		].map((cell) => escapeText(cell)),
	);
	const widths = head.map((title, column) =>
		Math.max(title.length, ...rows.map((row) => row[column]!.length)),
	);
	const line = (cells: readonly string[]) =>
		cells
			.map((cell, column) => cell.padEnd(widths[column]!))
			.join('  ')
			.trimEnd();
	const out = [line(head), ...rows.map((row) => line(row))];
	const {format} = inference.profile;
	out.push(
		'',
		`${inference.matched} of ${inference.total} lines matched (${format.type}).`,
	);
	const {count, examples} = inference.unmatched;
	if (count > 0) {
		out.push(
			`${count} ${count === 1 ? 'line' : 'lines'} matched nothing${examples.length > 0 ? ', such as:' : '.'}`,
			...examples.map((example) => `  ${example}`),
		);
	}

	return `${out.join('\n')}\n`;
}
