// How a flaky link damages a declared device's line. Each kind is built so that it cannot
// parse under the profile, whatever its format: a required field missing, a number that
// is no number or lies beyond its range, or bytes that no format reads as a field.
import type {DeviceProfile} from '../device-profile.js';
import {formatNumber, type LinePrinter} from './profile-line.js';
import {integerBetween, pick, type Random} from './random.js';
import {lineStep, type EmulatorStep} from './step.js';

// C0 controls but NUL (a NUL beside characters reads as UTF-16 text), TAB (a separator and
// JSON whitespace), LF and CR (either ends the line); DEL; bytes >= 0x80, invalid UTF-8 alone.
const poisonBytes = [
	...Array.from({length: 0x20}, (_, byte) => byte).filter(
		(byte) => byte !== 0x00 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d,
	),
	0x7f,
	...Array.from({length: 0x80}, (_, index) => 0x80 + index),
];

// Tokens no number parser takes as a finite number, and that hold no separator of any format.
const nonNumbers = ['abc', 'NaN', '--', '5..0', '1e', 'inf'];

type Kind = 'missing-field' | 'non-numeric' | 'out-of-range' | 'garbage';

/** The kinds of damage that a profile's lines can take, each one sure to be malformed. */
export function corruptionKinds(profile: DeviceProfile): Kind[] {
	const kinds: Kind[] = [];
	if (profile.fields.some((field) => !field.optional)) {
		kinds.push('missing-field');
	}

	if (profile.fields.some((field) => field.type === 'number')) {
		kinds.push('non-numeric');
	}

	if (boundedFields(profile).length > 0) {
		kinds.push('out-of-range');
	}

	kinds.push('garbage');
	return kinds;
}

/** The numeric fields with a range that has an end, by index. */
function boundedFields(profile: DeviceProfile): number[] {
	return profile.fields.flatMap((field, index) =>
		field.type === 'number' &&
		(Number.isFinite(field.range[0]) || Number.isFinite(field.range[1]))
			? [index]
			: [],
	);
}

/** A damaged copy of the line these texts print. */
export function corruptLine(
	profile: DeviceProfile,
	printer: LinePrinter,
	texts: readonly string[],
	random: Random,
): EmulatorStep {
	const damaged: Array<string | undefined> = [...texts];
	const numbers = profile.fields.flatMap((field, index) =>
		field.type === 'number' ? [index] : [],
	);
	switch (pick(random, corruptionKinds(profile))) {
		case 'missing-field': {
			const required = profile.fields.flatMap((field, index) =>
				field.optional ? [] : [index],
			);
			damaged[pick(random, required)] = undefined;
			break;
		}

		case 'non-numeric': {
			damaged[pick(random, numbers)] = pick(random, nonNumbers);
			break;
		}

		case 'out-of-range': {
			const index = pick(random, boundedFields(profile));
			const field = profile.fields[index]!;
			if (field.type === 'number') {
				const [low, high] = field.range;
				const beyond = Number.isFinite(high - low)
					? Math.max(1, high - low)
					: 10;
				damaged[index] =
					Number.isFinite(high) && (random() < 0.5 || !Number.isFinite(low))
						? formatNumber(high + beyond, field.decimals)
						: formatNumber(low - beyond, field.decimals);
			}

			break;
		}

		case 'garbage': {
			const bytes = Array.from({length: integerBetween(random, 3, 40)}, () =>
				pick(random, poisonBytes),
			);
			return {kind: 'line', bytes: Uint8Array.from(bytes), valid: false};
		}
	}

	return lineStep(printer.line(damaged), false);
}
