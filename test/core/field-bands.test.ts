import test from 'ava';
import {detectorSettings, parseConfig} from '../../source/core/config.js';
import {fieldBands, bandLevel} from '../../source/core/field-bands.js';

const settingsWith = (thresholds: string) =>
	detectorSettings(parseConfig(thresholds, 'config.yaml'));

test('a warning level not inside crit is no band: the chart shows and colours only what the detector judges by', (t) => {
	// max_c lowered below warn_c (as a live edit may): the warning band is off.
	const off = fieldBands(
		settingsWith(
			'thresholds:\n  temperature:\n    warn_c: 70\n    max_c: 40\n',
		),
		'temperature',
	);
	t.deepEqual(off.bands, [{kind: 'above', warn: null, crit: 40}]);
	const on = fieldBands(
		settingsWith(
			'thresholds:\n  temperature:\n    warn_c: 30\n    max_c: 40\n',
		),
		'temperature',
	);
	t.deepEqual(on.bands, [{kind: 'above', warn: 30, crit: 40}]);
	t.is(bandLevel(off.bands, 35), 'NORMAL');
	t.is(bandLevel(on.bands, 35), 'WARNING');
});
