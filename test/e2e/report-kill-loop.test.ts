// The report under a monitor killed in a loop while SIGUSR1 asks for reports: whoever reads
// anomaly_report.json, during the writes or after a SIGKILL, finds whole JSON, the old
// report or the new one, never an empty or half-written file.
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {setTimeout as delay} from 'node:timers/promises';
import test from 'ava';
import {createVirtualPair} from '../../source/adapters/virtual-pair.js';
import {startCli, stopOnTeardown} from '../helpers/cli.js';
import {portWorkspace, sendLines} from '../helpers/port-workspace.js';
import {requireSocat} from '../helpers/socat.js';
import {linesOf, waitUntil} from '../helpers/wait-until.js';

const kills = 8;

test('SIGKILL in a loop while SIGUSR1 asks for reports: the report always parses, never empty', async (t) => {
	if (!requireSocat(t)) {
		return;
	}

	const {configPath, device, monitorSide, rawLog, report, data} = portWorkspace(
		t,
		'report-kills',
	);
	const pair = await createVirtualPair(device, monitorSide);
	t.teardown(async () => pair.close());

	const reads = {whole: 0, torn: [] as string[]};
	const readReport = () => {
		if (!existsSync(report)) {
			return;
		}

		const text = readFileSync(report, 'utf8');
		try {
			const entries: unknown = JSON.parse(text);
			if (Array.isArray(entries) && entries.length > 0) {
				reads.whole++;
				return;
			}
		} catch {
			// Torn: recorded below.
		}

		reads.torn.push(text.slice(0, 80));
	};

	for (let run = 0; run < kills; run++) {
		const monitor = stopOnTeardown(
			t,
			startCli(['--headless', '--config', configPath]),
		);
		// eslint-disable-next-line no-await-in-loop -- one monitor at a time
		await monitor.waitFor(/listening on/);
		if (run === 0) {
			// A breach, so that every report holds an incident: an empty one would be torn.
			// eslint-disable-next-line no-await-in-loop
			await sendLines(device, ['T:95.0,V:5.0,S:CRITICAL_TEMP']);
			// eslint-disable-next-line no-await-in-loop
			await waitUntil(
				() =>
					existsSync(rawLog) &&
					linesOf(readFileSync(rawLog, 'utf8')).length === 1,
				'the breach is in raw.log',
			);
			monitor.child.kill('SIGUSR1');
			// eslint-disable-next-line no-await-in-loop
			await monitor.waitFor(/report written/);
		}

		// Ask for reports as fast as they can come, reading between, then kill at a moment
		// that lands somewhere in a write.
		const killAt = performance.now() + 50 + Math.random() * 250;
		while (performance.now() < killAt) {
			monitor.child.kill('SIGUSR1');
			readReport();
			// eslint-disable-next-line no-await-in-loop
			await delay(1);
		}

		monitor.child.kill('SIGKILL');
		// eslint-disable-next-line no-await-in-loop
		await monitor.exited;
		readReport();
	}

	t.deepEqual(reads.torn, []);
	t.true(reads.whole > kills);
	const leftovers = readdirSync(data).filter((name) => name.endsWith('.tmp'));
	t.log(
		`${reads.whole} whole reads over ${kills} kills; temporary files left by the kills: ${leftovers.length}`,
	);
});
