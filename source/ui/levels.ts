// Which colour a value gets: its level against the rules in force on its field.
import type {StatusLevel} from '../core/protocol.js';
import {bandLevel, type Band} from '../core/field-bands.js';

export type Level = 'normal' | 'warning' | 'critical' | 'offline';

export const levelColor: Record<Level, string> = {
	normal: 'green',
	warning: 'yellow',
	critical: 'red',
	offline: 'magenta',
};

/** A number field's value against its bands. */
export function valueLevel(bands: readonly Band[], value: number): Level {
	return statusLevel(bandLevel(bands, value));
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
