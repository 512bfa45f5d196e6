// Which colour a value gets: its level against the thresholds in force.
import type {Config} from '../core/config.js';
import type {StatusLevel} from '../core/protocol.js';
import {judgeTemperature, judgeVoltage} from '../core/thresholds.js';

export type Level = 'normal' | 'warning' | 'critical' | 'offline';
type Thresholds = Config['thresholds'];

export const levelColor: Record<Level, string> = {
	normal: 'green',
	warning: 'yellow',
	critical: 'red',
	offline: 'magenta',
};

export function temperatureLevel(value: number, thresholds: Thresholds): Level {
	return statusLevel(judgeTemperature(value, thresholds.temperature).level);
}

export function voltageLevel(value: number, thresholds: Thresholds): Level {
	return statusLevel(judgeVoltage(value, thresholds.voltage).level);
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
