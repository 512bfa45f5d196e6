// Lines of the bench's declared devices (bench/profiles/*.yaml), as the device prints them:
// values that move slowly through each band rule's warn and crit levels (and, for `a`, a
// jump now and then past its change limit), so the detector opens and resolves incidents
// as on a real device; every 97th line is cut short, a damaged line.
export type DeclaredFormat = 'pairs-6' | 'pairs-8' | 'json';

const wave = (index: number, period: number, centre: number, swing: number) =>
	centre + swing * Math.sin(index / period);

function values(index: number): number[] {
	const jump = index % 5000 === 2500 ? 3 : 0;
	return [
		wave(index, 2000, 25, 11) + jump, // A: past 30 and 35
		wave(index, 1500, 55, 30), // B: outside 30..80
		wave(index, 2500, 1000, 45), // C: below 980 and 960
		wave(index, 90, 0.5, 0.3),
		wave(index, 1700, 12, 3), // E: above 14
		wave(index, 70, 3.3, 0.1),
		wave(index, 1300, 50, 8), // G: outside 45..55
		wave(index, 50, 0.5, 0.45),
	];
}

const decimals = [2, 1, 1, 2, 2, 2, 1, 2];
const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

/** The device's line for reading `index`, without its newline; `valid` false for a damaged one. */
export function declaredLine(
	format: DeclaredFormat,
	index: number,
): {text: string; valid: boolean} {
	const v = values(index).map((value, field) => value.toFixed(decimals[field]));
	let text: string;
	if (format === 'json') {
		text = `{"t":${v[0]},"h":${v[1]},"env":{"p":${v[2]}}}`;
	} else {
		const count = format === 'pairs-6' ? 6 : 8;
		text = keys
			.slice(0, count)
			.map((key, field) => `${key}:${v[field]}`)
			.join(',');
	}

	if (index % 97 === 96) {
		return {text: text.slice(0, Math.floor(text.length / 2)), valid: false};
	}

	return {text, valid: true};
}
