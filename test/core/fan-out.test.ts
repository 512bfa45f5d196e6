import test from 'ava';
import fc from 'fast-check';
import {fanOut} from '../../source/core/rules/fan-out.js';

type Call = [hook: number, a: number, b: number, c: string];

const hooksLogging = (count: number, log: Call[]) =>
	Array.from(
		{length: count},
		(_, hook) => (a: number, b: number, c: string) => {
			log.push([hook, a, b, c]);
		},
	);

test('the generated fan-out calls every hook once, in order, with the arguments, as the loop does', (t) => {
	fc.assert(
		fc.property(
			fc.nat({max: 12}),
			fc.array(fc.tuple(fc.double(), fc.integer(), fc.string()), {
				maxLength: 5,
			}),
			(count, calls) => {
				const generatedLog: Call[] = [];
				const loopLog: Call[] = [];
				const generated = fanOut(hooksLogging(count, generatedLog));
				const loop = fanOut(hooksLogging(count, loopLog), {generate: false});
				for (const [a, b, c] of calls) {
					generated(a, b, c);
					loop(a, b, c);
				}

				const expected = calls.flatMap(([a, b, c]) =>
					Array.from({length: count}, (_, hook): Call => [hook, a, b, c]),
				);
				t.deepEqual(generatedLog, expected);
				t.deepEqual(loopLog, expected);
			},
		),
	);
});

test('a hook that throws stops the hooks after it, generated or not', (t) => {
	for (const generate of [true, false]) {
		const called: number[] = [];
		const fanned = fanOut(
			[
				() => called.push(0),
				() => {
					throw new Error('rule failed');
				},
				() => called.push(2),
			],
			{generate},
		);
		t.throws(
			() => {
				fanned();
			},
			{message: 'rule failed'},
		);
		t.deepEqual(called, [0], `generate: ${generate}`);
	}
});
