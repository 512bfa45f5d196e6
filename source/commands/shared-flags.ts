// Flags and number checks that several commands take, said once.
import type {FlagSpec} from './command-spec.js';

export const configFlag = {
	type: 'string',
	value: 'FILE',
	description:
		'config file (default ./config.yaml; built-in defaults if absent)',
} as const satisfies FlagSpec;

export const wholeAboveZero = {
	valid: (n: number) => Number.isSafeInteger(n) && n > 0,
	expected: 'a whole number above 0',
};

export const wholeNumber = {
	valid: (n: number) => Number.isSafeInteger(n),
	expected: 'a whole number',
};

export const linesPerSecond = {
	valid: (n: number) => n >= 0,
	expected: 'lines per second, 0 or more',
};
