import test from 'ava';
import {patternProblem} from '../../source/core/pattern-check.js';

test('patterns that match in linear or polynomial time pass', (t) => {
	for (const pattern of [
		String.raw`^T:(?<t>-?\d+(?:\.\d+)?),H:(?<h>\d+)$`,
		String.raw`Humidity: (?<h>[\d.]+)%\s+Temperature: (?<t>[\d.]+)°C`,
		String.raw`(?<a>[(+*]+)x`,
		String.raw`(?<a>\d+)\)+`,
		String.raw`(?<a>(?:ab){2}c)*`,
		String.raw`\$GPGGA,(?<time>[\d.]*),(?<lat>[\d.]*),[NS]`,
	]) {
		t.is(patternProblem(pattern), undefined, `for ${pattern}`);
	}
});

test('a repeated group that repeats inside is refused', (t) => {
	for (const pattern of [
		'(a+)+',
		String.raw`(?<a>(\d*,?)*)`,
		String.raw`(?<a>(?:x|y+)*)z`,
		'((a)+){2,}',
		String.raw`(?<a>((\w+)\s?)+)$`,
	]) {
		t.regex(patternProblem(pattern) ?? '', /exponential/, `for ${pattern}`);
	}
});

test('an invalid pattern says so', (t) => {
	t.regex(patternProblem('(?<a') ?? '', /^not a valid regular expression/);
	t.regex(patternProblem('a{2,1}') ?? '', /^not a valid regular expression/);
});
