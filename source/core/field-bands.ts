// Where a field's value stands against the rules on it, for the views: the bands a chart
// draws and the colour a value gets. The same strict comparison as the detector's (a value
// alarms when it is strictly past its level); hysteresis and for_s are not here, they need
// an open incident, which only the detector knows.
import type {Severity} from './incident.js';
import type {StatusLevel} from './protocol.js';
import type {StatusField} from './device-profile.js';
import type {DetectorSettings} from './rule-spec.js';
import {warningLevel} from './rules/band.js';

export type Band =
	| {
			readonly kind: 'above' | 'below';
			readonly warn: number | null;
			readonly crit: number | null;
	  }
	| {
			readonly kind: 'outside';
			readonly low: number;
			readonly high: number;
			readonly severity: Severity;
	  };

export type FieldBands = {
	readonly bands: readonly Band[];
	/** The first change rule's largest step, if any. */
	readonly change:
		{readonly max: number; readonly per: 'reading' | 'second'} | undefined;
};

/** The band and change rules on the field called `field`, in declared order. */
export function fieldBands(
	settings: DetectorSettings,
	field: string,
): FieldBands {
	const bands: Band[] = [];
	let change: FieldBands['change'];
	for (const rule of settings.rules) {
		if (rule.field !== field) {
			continue;
		}

		switch (rule.kind) {
			case 'above':
			case 'below': {
				// The warning level the detector judges by: none where it is not inside crit
				// (the config says so at load; the chart must not show one either).
				bands.push({
					kind: rule.kind,
					warn: warningLevel(rule),
					crit: rule.crit,
				});
				break;
			}

			case 'outside': {
				bands.push({
					kind: 'outside',
					low: rule.low,
					high: rule.high,
					severity: rule.severity,
				});
				break;
			}

			case 'change': {
				change ??= {max: rule.max, per: rule.per};
				break;
			}

			case 'status':
			case 'mismatch':
			case 'predict': {
				break;
			}
		}
	}

	return {bands, change};
}

const rank: Record<StatusLevel, number> = {
	NORMAL: 0,
	WARNING: 1,
	CRITICAL: 2,
	OFFLINE: 3,
};

/** The worst level the value is strictly past, over every band. */
export function bandLevel(
	bands: readonly Band[],
	value: number,
): 'NORMAL' | Severity {
	let level: 'NORMAL' | Severity = 'NORMAL';
	for (const band of bands) {
		const here = levelIn(band, value);
		if (rank[here] > rank[level]) {
			level = here;
		}
	}

	return level;
}

function levelIn(band: Band, value: number): 'NORMAL' | Severity {
	if (band.kind === 'outside') {
		return value < band.low || value > band.high ? band.severity : 'NORMAL';
	}

	const past = (level: number | null) =>
		level !== null && (band.kind === 'above' ? value > level : value < level);
	if (past(band.crit)) {
		return 'CRITICAL';
	}

	return past(band.warn) ? 'WARNING' : 'NORMAL';
}

/** The level a status field's text maps to, or undefined when it matches none. */
export function statusTextLevel(
	field: StatusField,
	text: string,
): StatusLevel | undefined {
	for (const {match, value, level} of field.levels) {
		if (
			text === value ||
			(match === 'prefix' &&
				text.length > value.length &&
				text.startsWith(value) &&
				text[value.length] === '_')
		) {
			return level;
		}
	}

	return undefined;
}

/** The worse of two levels. */
export function worseLevel(a: StatusLevel, b: StatusLevel): StatusLevel {
	return rank[b] > rank[a] ? b : a;
}
