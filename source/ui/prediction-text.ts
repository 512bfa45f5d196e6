// What a field's line says while a time-to-threshold prediction holds: the level its trend
// reaches and how long until it does, counted down against the screen's clock.
import type {FieldPrediction} from '../app/monitor-state.js';
import {formatValue} from './format.js';

/** "→ 80.0°C in 8m": the target with the field's decimals and unit, then the time left. */
export function predictionText(
	prediction: FieldPrediction,
	field: {decimals: number; unit: string},
	now: number,
): string {
	return `→ ${formatValue(prediction.target, field.decimals)}${field.unit} ${timeLeft(prediction.crossingAt - now)}`;
}

/**
 * "in 45s" under a minute (rounded up, so it never says 0s before the crossing), "in 8m"
 * to the nearest minute under an hour, "in 2h05m", "in 3d04h"; "now" once it is due.
 */
export function timeLeft(ms: number): string {
	if (ms <= 0) {
		return 'now';
	}

	const seconds = Math.ceil(ms / 1000);
	if (seconds < 60) {
		return `in ${seconds}s`;
	}

	const minutes = Math.round(seconds / 60);
	if (minutes < 60) {
		return `in ${minutes}m`;
	}

	const hours = Math.floor(minutes / 60);
	return hours < 48
		? `in ${hours}h${pad(minutes % 60)}m`
		: `in ${Math.floor(hours / 24)}d${pad(hours % 24)}h`;
}

function pad(value: number): string {
	return String(value).padStart(2, '0');
}
