// A declared device for tests of what follows a profile (CSV, points, detect): two numbers,
// one of them optional, and a status.
import type {
	DeviceProfile,
	NumberField,
} from '../../source/core/device-profile.js';

export function numberField(
	name: string,
	overrides: Partial<NumberField> = {},
): NumberField {
	return {
		type: 'number',
		name,
		key: name,
		label: name,
		unit: '',
		range: [-1000, 1000],
		decimals: 1,
		optional: false,
		metric: undefined,
		...overrides,
	};
}

export const greenhouse: DeviceProfile = {
	name: 'greenhouse-3',
	builtin: false,
	format: {type: 'pairs', assign: ':=', separators: ','},
	unknownKeys: 'ignore',
	fields: [
		numberField('temperature', {key: 'temp', label: 'Temperature', unit: '°C'}),
		numberField('humidity', {
			key: 'hum',
			unit: '%',
			range: [0, 100],
			optional: true,
		}),
		{
			type: 'status',
			name: 'state',
			key: 'st',
			label: 'State',
			optional: true,
			levels: [
				{match: 'exact', value: 'OK', level: 'NORMAL'},
				{match: 'prefix', value: 'HOT', level: 'WARNING'},
				{match: 'exact', value: 'FAULT', level: 'CRITICAL'},
			],
		},
	],
};
