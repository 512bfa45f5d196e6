import test from 'ava';
import {closestMatch, editDistance} from '../../source/core/closest-match.js';

test('editDistance counts inserts, deletes, substitutions and neighbour swaps', (t) => {
	t.is(editDistance('', ''), 0);
	t.is(editDistance('port', 'port'), 0);
	t.is(editDistance('', 'port'), 4);
	t.is(editDistance('prot', 'port'), 1, 'a swap is one edit');
	t.is(editDistance('emualte', 'emulate'), 1);
	t.is(editDistance('baud', 'bad'), 1);
	t.is(editDistance('ports', 'port'), 1);
	t.is(editDistance('monitr', 'monitor'), 1);
	t.is(editDistance('kitten', 'sitting'), 3);
	t.is(editDistance('ca', 'abc'), 3, 'a swapped pair is not edited again');
});

test('closestMatch suggests a near candidate, the nearest first, and nothing far', (t) => {
	const commands = ['monitor', 'emulate', 'replay', 'detect', 'ports', 'init'];
	t.is(closestMatch('emualte', commands), 'emulate');
	t.is(closestMatch('port', commands), 'ports');
	t.is(closestMatch('detcet', commands), 'detect');
	t.is(closestMatch('frobnicate', commands), undefined);
	t.is(closestMatch('colour', ['config', 'port', 'count']), undefined);
	t.is(closestMatch('prot', ['config', 'port', 'baud']), 'port');
	t.is(closestMatch('ab', ['xy', 'ac', 'ab']), 'ab', 'the nearest wins');
	t.is(closestMatch('ax', ['ay', 'az']), 'ay', 'ties go to the first');
});
