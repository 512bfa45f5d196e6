// Which colour a value gets: its level against the thresholds in force.
import type {Config} from '../core/config.js';
import type {StatusLevel} from '../core/protocol.js';

export type Level = 'normal' | 'warning' | 'critical' | 'offline';
type Thresholds = Config['thresholds'];

export const levelColor: Record<Level, string> = {
	normal: 'green',
	warning: 'yellow',
	critical: 'red',
	offline: 'magenta',
};

export function temperatureLevel(value: number, thresholds: Thresholds): Level {
	const {max_c: max, warn_c: warn} = thresholds.temperature;
	if (value > max) {
		return 'critical';
	}

	return warn !== null && value > warn ? 'warning' : 'normal';
}

export function voltageLevel(value: number, thresholds: Thresholds): Level {
	const {min_v: min, max_v: max} = thresholds.voltage;
	return value < min || value > max ? 'critical' : 'normal';
}

const statusLevels: Record<StatusLevel, Level> = {
	NORMAL: 'normal',
	WARNING: 'warning',
	CRITICAL: 'critical',
	OFFLINE: 'offline',
};

export function statusLevel(level: StatusLevel): Level {
	return statusLevels[level];
}
