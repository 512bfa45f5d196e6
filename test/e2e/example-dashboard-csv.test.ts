// examples/csv.yaml on the dashboard in a real 80x24 terminal, on a socat pair, while
// `emulate` plays its tour.
import test from 'ava';
import {checkExampleDashboard} from '../helpers/example-dashboard.js';
import {requireSocat} from '../helpers/socat.js';
import {requireTmux} from '../helpers/tmux.js';

test('examples/csv.yaml on the dashboard at 80x24: each field by name and unit, its sparkline, the chart, the alert table filled by the tour, every line recorded', async (t) => {
	if (!requireTmux(t) || !requireSocat(t)) {
		return;
	}

	await checkExampleDashboard(t, 'csv');
});
