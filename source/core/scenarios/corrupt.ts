// How a flaky link damages a line: every damaged copy is one that cannot parse.
import {integerBetween, pick, type Random} from './random.js';
import {lineStep, type EmulatorStep} from './step.js';

const encoder = new TextEncoder();

// Bytes that can appear in no valid line anywhere: C0 controls except LF and CR (either
// would end the line), DEL, and bytes >= 0x80, which are invalid UTF-8 alone and outside
// the protocol's ASCII even when they combine.
const poisonBytes = [
	...Array.from({length: 0x20}, (_, byte) => byte).filter(
		(byte) => byte !== 0x0a && byte !== 0x0d,
	),
	0x7f,
	...Array.from({length: 0x80}, (_, index) => 0x80 + index),
];

const nonNumbers = ['abc', 'NaN', '', '--', '5..0', '1e', 'inf', '0x1F', '2 5'];

/**
 * A damaged copy of a valid line, the way a flaky link damages them. Each kind is built so
 * that it cannot parse (tests check this against parseLine).
 */
export function corrupt(text: string, random: Random): EmulatorStep {
	const kind = pick(random, [
		'truncated',
		'garbage',
		'missing-field',
		'non-numeric',
	] as const);
	switch (kind) {
		case 'truncated': {
			// Cut no later than just after `S:`, so the status is empty or missing, never a
			// shorter status that still parses (WARNING_TE would).
			const end = text.indexOf(',S:') + 3;
			return lineStep(text.slice(0, integerBetween(random, 1, end)), false);
		}

		case 'garbage': {
			if (random() < 0.5) {
				// Noise alone: printable bytes and poison, at least one poison byte.
				const bytes = Array.from({length: integerBetween(random, 3, 40)}, () =>
					random() < 0.5
						? integerBetween(random, 0x20, 0x7e)
						: pick(random, poisonBytes),
				);
				bytes[integerBetween(random, 0, bytes.length - 1)] = pick(
					random,
					poisonBytes,
				);
				return {kind: 'line', bytes: Uint8Array.from(bytes), valid: false};
			}

			// A real line with a few poison bytes spliced in.
			const bytes = [...encoder.encode(text)];
			for (let n = integerBetween(random, 1, 4); n > 0; n--) {
				bytes.splice(
					integerBetween(random, 0, bytes.length),
					0,
					pick(random, poisonBytes),
				);
			}

			return {kind: 'line', bytes: Uint8Array.from(bytes), valid: false};
		}

		case 'missing-field': {
			const fields = text.split(',');
			fields.splice(integerBetween(random, 0, fields.length - 1), 1);
			return lineStep(fields.join(','), false);
		}

		case 'non-numeric': {
			const fields = text.split(',');
			const index = random() < 0.5 ? 0 : 1;
			const key = index === 0 ? 'T' : 'V';
			fields[index] = `${key}:${pick(random, nonNumbers)}`;
			return lineStep(fields.join(','), false);
		}
	}
}
