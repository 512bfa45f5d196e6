// What a number field's chart says beside its values: the limits its rules set, and how
// small a swing is drawn flat.
import type {FieldView} from '../app/monitor-state.js';
import {formatValue} from './format.js';

type NumberFieldView = Extract<FieldView, {type: 'number'}>;

/**
 * The rules' limits as the label shows them: "warn >70.0 max >80.0 Δ>15.0", "range
 * 4.50-5.50". A level reads as a threshold, to one decimal at most; a range as the values.
 */
export function limitsText(field: NumberFieldView): string {
	const levelDigits = Math.min(1, field.decimals);
	const level = (value: number) => formatValue(value, levelDigits);
	const parts: string[] = [];
	for (const band of field.bands) {
		if (band.kind === 'outside') {
			parts.push(
				`range ${formatValue(band.low, field.decimals)}-${formatValue(band.high, field.decimals)}`,
			);
			continue;
		}

		const sign = band.kind === 'above' ? '>' : '<';
		if (band.warn !== null) {
			parts.push(`warn ${sign}${level(band.warn)}`);
		}

		if (band.crit !== null) {
			parts.push(
				`${band.kind === 'above' ? 'max' : 'min'} ${sign}${level(band.crit)}`,
			);
		}
	}

	if (field.change) {
		parts.push(
			`Δ>${level(field.change.max)}${field.change.per === 'second' ? '/s' : ''}`,
		);
	}

	return parts.length === 0 ? 'no rule' : parts.join(' ');
}

/**
 * The smallest range drawn full height: a third of the largest change a rule allows, a
 * quarter of an allowed range, else a hundredth of the physical range, so sensor noise does
 * not look like a swing.
 */
export function minSpan(field: NumberFieldView): number {
	if (field.change) {
		return field.change.max / 3;
	}

	const outside = field.bands.find((band) => band.kind === 'outside');
	if (outside?.kind === 'outside') {
		return (outside.high - outside.low) / 4;
	}

	// A field declared without a range has an infinite one.
	const span = (field.range[1] - field.range[0]) / 100;
	return Number.isFinite(span) ? span : 0;
}
