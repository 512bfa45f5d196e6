// The monitor on a real socat pair, started on an output dir whose CSV holds another
// device's columns: that file is set aside whole and named on the monitor's output, and
// this device's rows (raw.log's history, then the new lines) go to a new CSV.
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {createVirtualPair} from '../../source/adapters/virtual-pair.js';
import {startCli, stopOnTeardown} from '../helpers/cli.js';
import {portWorkspace, sendLines} from '../helpers/port-workspace.js';
import {requireSocat} from '../helpers/socat.js';
import {waitUntil} from '../helpers/wait-until.js';

const otherDevice =
	'timestamp,temperature,humidity,state,raw_line\r\n' +
	'2026-11-30T08:00:00.000Z,23,45,OK,1\r\n' +
	'2026-11-30T08:00:01.000Z,23.5,44,=cmd,2\r\n';

test.serial(
	"a start on another device's CSV: set aside whole, said on the monitor's output, and the new CSV rebuilt from raw.log then followed",
	async (t) => {
		if (!requireSocat(t)) {
			return;
		}

		const workspace = portWorkspace(t, 'csv-aside', {
			sections: 'thresholds:\n  heartbeat_timeout_s: 600\n',
		});
		mkdirSync(workspace.data);
		const csv = join(workspace.data, 'structured_metrics.csv');
		writeFileSync(csv, otherDevice);
		writeFileSync(
			workspace.rawLog,
			'2026-12-01T10:00:00.000Z\tT:21,V:5,S:NORMAL\n2026-12-01T10:00:01.000Z\tT:22,V:5,S:NORMAL\n',
		);
		const pair = await createVirtualPair(
			workspace.device,
			workspace.monitorSide,
		);
		t.teardown(async () => pair.close());
		const monitor = stopOnTeardown(
			t,
			startCli(['--headless', '--config', workspace.configPath]),
		);
		await monitor.waitFor(/set aside whole as/);
		await monitor.waitFor(/listening on/);
		await sendLines(workspace.device, ['T:23.5,V:5.0,S:NORMAL']);
		await waitUntil(
			() => readFileSync(csv, 'utf8').split('\r\n').length >= 5,
			`the new line in the CSV; stderr:\n${monitor.stderr()}`,
		);
		monitor.child.kill('SIGINT');
		t.is(await monitor.exited, 0);

		const aside = readdirSync(workspace.data).filter((name) =>
			/^structured_metrics\.\d{4}-\d\d-\d\dT\d{6}\.\d{3}Z\.csv$/.test(name),
		);
		t.is(aside.length, 1, 'one file set aside');
		t.is(
			readFileSync(join(workspace.data, aside[0]!), 'utf8'),
			otherDevice,
			'kept byte for byte',
		);
		const output = monitor.stderr() + monitor.stdout();
		t.true(
			output.includes(
				`${csv} holds other columns than this device's (timestamp,temperature,humidity,state,raw_line, not timestamp,temperature,voltage,status,raw_line): set aside whole as ${join(workspace.data, aside[0]!)}; this device's rows go to a new ${csv}`,
			),
			'the notice names both files',
		);
		const rows = readFileSync(csv, 'utf8').split('\r\n').filter(Boolean);
		t.is(rows[0], 'timestamp,temperature,voltage,status,raw_line');
		t.deepEqual(
			rows.slice(1).map((row) => row.split(',').slice(1).join(',')),
			['21,5,NORMAL,1', '22,5,NORMAL,2', '23.5,5,NORMAL,3'],
		);

		// Again after a clean stop, whose checkpoint says the CSV held line 3: the new CSV
		// is rebuilt in full all the same, with nothing lost or doubled.
		writeFileSync(csv, otherDevice);
		const again = stopOnTeardown(
			t,
			startCli(['--headless', '--config', workspace.configPath]),
		);
		await again.waitFor(/listening on/);
		await sendLines(workspace.device, ['T:24,V:5.0,S:NORMAL']);
		await waitUntil(
			() => readFileSync(csv, 'utf8').split('\r\n').length >= 6,
			`the new line in the CSV; stderr:\n${again.stderr()}`,
		);
		again.child.kill('SIGINT');
		t.is(await again.exited, 0);
		t.regex(again.stderr() + again.stdout(), /set aside whole as/);
		t.deepEqual(
			readFileSync(csv, 'utf8')
				.split('\r\n')
				.filter(Boolean)
				.slice(1)
				.map((row) => row.split(',').slice(1).join(',')),
			['21,5,NORMAL,1', '22,5,NORMAL,2', '23.5,5,NORMAL,3', '24,5,NORMAL,4'],
		);
		t.is(
			readdirSync(workspace.data).filter((name) =>
				/^structured_metrics\..+Z\.csv$/.test(name),
			).length,
			2,
			'both files set aside, neither overwritten',
		);
	},
);
