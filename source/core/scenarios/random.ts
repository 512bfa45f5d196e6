// Seeded randomness for scenarios: a seed names one exact sequence, so one exact run.

export type Random = () => number;

/**
 * The mulberry32 generator: 32 bits of state, tiny, and good enough for test data. Floats
 * in [0, 1). Seeds are taken modulo 2^32, so seeds 2^32 apart give the same run.
 */
/* eslint-disable no-bitwise -- the generator is 32-bit integer arithmetic by definition */
export function createPrng(seed: number): () => number {
	let state = Math.trunc(seed) >>> 0;
	return () => {
		state = (state + 0x6d_2b_79_f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}
/* eslint-enable no-bitwise */

export function between(random: Random, min: number, max: number): number {
	return min + (max - min) * random();
}

export function integerBetween(
	random: Random,
	min: number,
	max: number,
): number {
	return Math.floor(between(random, min, max + 1));
}

/** Roughly normal noise in [-1, 1], centred on 0. */
export function noise(random: Random): number {
	return (random() + random() + random() - 1.5) / 1.5;
}

export function pick<T>(random: Random, items: readonly T[]): T {
	return items[Math.floor(random() * items.length)]!;
}
