// The level a status field's text stands for, by the field's own table.
import type {StatusField} from '../device-profile.js';
import type {StatusLevel} from '../protocol.js';

/** The first match in the field's table; NORMAL for a text none matches (the codec refuses those). */
export function statusLevelOf(field: StatusField, text: string): StatusLevel {
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

	return 'NORMAL';
}
