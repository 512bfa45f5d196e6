// What a live run shows beyond its files, for each golden raw.log played through the live
// pipeline on a fake clock (golden-run.ts): the headless event lines and the /metrics text,
// byte for byte as the golden files hold them. And the inputs themselves: the scenarios
// still play them, and together they fire every rule, with each kind of event.
import {Buffer} from 'node:buffer';
import test from 'ava';
import {incidentTypes} from '../../source/core/incident.js';
import {readJson} from '../helpers/json.js';
import {sameBytes} from './golden-compare.js';
import {buildInputs} from './golden-inputs.js';
import {
	eventsFile,
	goldenCases,
	liveRun,
	metricsFile,
	influxFile,
	rawLogPath,
	readGolden,
} from './golden-run.js';

for (const name of goldenCases) {
	test(`the ${name} raw.log gives the golden headless events, /metrics text and InfluxDB points`, async (t) => {
		const run = await liveRun(rawLogPath(name));
		sameBytes(
			t,
			run.events,
			readGolden(name, eventsFile),
			`${name}/${eventsFile}`,
		);
		sameBytes(
			t,
			run.metrics,
			readGolden(name, metricsFile),
			`${name}/${metricsFile}`,
		);
		sameBytes(
			t,
			run.influx,
			readGolden(name, influxFile),
			`${name}/${influxFile}`,
		);
	});
}

test('the inputs are what the scenarios and the hostile lines give today', (t) => {
	const inputs = buildInputs();
	for (const name of goldenCases) {
		sameBytes(t, inputs[name], readGolden(name, 'raw.log'), `${name}/raw.log`);
	}
});

test('the golden events fire every rule, and are fired, worsened and resolved', (t) => {
	const seen = new Set<string>();
	for (const name of goldenCases) {
		const text = Buffer.from(readGolden(name, eventsFile)).toString('utf8');
		for (const line of text.split('\n').filter(Boolean)) {
			const {event, type, severity} = readJson<Record<string, string>>(line, {
				text: true,
			});
			seen.add(`${event}`).add(`${type}`).add(`${event} ${type} ${severity}`);
		}
	}

	for (const type of incidentTypes) {
		t.true(seen.has(type), `${type} fires`);
	}

	for (const event of ['fired', 'worsened', 'resolved']) {
		t.true(seen.has(event), `an incident is ${event}`);
	}

	t.true(seen.has('fired THRESHOLD_BREACH_TEMP WARNING'));
	t.true(seen.has('worsened THRESHOLD_BREACH_TEMP CRITICAL'));
});
