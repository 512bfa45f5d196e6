// examples/csv.yaml end to end on a socat pair: its tour, played by `emulate`, recorded by the
// headless monitor, fires and resolves every rule, and replay rebuilds the same files.
import test from 'ava';
import {checkExampleTour} from '../helpers/example-tour.js';
import {requireSocat} from '../helpers/socat.js';

test('examples/csv.yaml: the tour is recorded line for line, parse errors only on its damaged lines, every declared rule fires and resolves, replay writes the same report and CSV', async (t) => {
	if (!requireSocat(t)) {
		return;
	}

	await checkExampleTour(t, 'csv');
});
