// An alert in a few words, for terminals too narrow for the report's full description.
import type {AlertRow} from '../app/monitor-state.js';
import {timeLeft} from './prediction-text.js';

export function alertSummary(alert: AlertRow): string {
	const {peak, threshold} = alert;
	// Measurements to the hundredth the device reports; thresholds as configured.
	const number = (value: number | string | null) =>
		typeof value === 'number' ? String(value) : '?';
	const measured = (value: number | string | null) =>
		typeof value === 'number' ? value.toFixed(2) : '?';
	switch (alert.type) {
		case 'THRESHOLD_BREACH_TEMP': {
			return `peak ${measured(peak)}°C > ${number(threshold)}°C`;
		}

		case 'THRESHOLD_BREACH_VOLTAGE': {
			return `peak ${measured(peak)}V, limit ${number(threshold)}V`;
		}

		case 'RAPID_CHANGE_TEMP': {
			return `Δ${measured(peak)}°C > ${number(threshold)}°C`;
		}

		case 'HEARTBEAT_LOSS': {
			return `no line for > ${number(threshold)}s`;
		}

		case 'DEVICE_STATUS': {
			return `status ${String(peak)}`;
		}

		case 'STATUS_MISMATCH': {
			return `device NORMAL during ${String(peak)}`;
		}

		case 'PARSE_ERROR_RATE': {
			return `${number(peak)}/min > ${number(threshold)}/min`;
		}

		// A declared device's rules: the peak and the level it was judged against; a
		// prediction's peak is its shortest time to the level.
		default: {
			if (alert.predicted && typeof peak === 'number') {
				return `→ ${number(threshold)} ${timeLeft(peak * 1000)}`;
			}

			return typeof peak === 'string'
				? `status ${peak}`
				: threshold === null
					? `peak ${measured(peak)}`
					: `peak ${measured(peak)}, limit ${number(threshold)}`;
		}
	}
}
