// The fleet files in deploy/: Prometheus accepts the scrape config and the rules, the rules
// fire on the series serialwatch exports, and systemd accepts the unit.
import {spawnSync} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import test, {type ExecutionContext} from 'ava';
import {isOnPath} from '../../source/adapters/executable-on-path.js';
import {installedCli} from '../helpers/cli.js';
import {requirePromtool} from '../helpers/prometheus.js';
import {recordSkippedTest} from '../helpers/skipped-tests.js';
import {temporaryDirectory} from '../helpers/temporary-directory.js';

const deploy = fileURLToPath(new URL('../../deploy/', import.meta.url));

function run(command: string, args: string[], cwd = deploy) {
	const result = spawnSync(command, args, {cwd, encoding: 'utf8'});
	return {status: result.status, output: `${result.stdout}${result.stderr}`};
}

/** Whether the tool is there; if not, the test passes and says once that it did not run. */
function optionalTool(
	t: ExecutionContext,
	tool: string,
	install: string,
): boolean {
	if (isOnPath(tool)) {
		return true;
	}

	if (!recordSkippedTest({title: t.title, tool, install})) {
		t.log(`SKIPPED: ${tool} not found (${install})`);
	}

	t.pass();
	return false;
}

test('promtool check config accepts deploy/prometheus.yml and the rules it names', (t) => {
	if (!requirePromtool(t)) {
		return;
	}

	const check = run('promtool', ['check', 'config', 'prometheus.yml']);
	t.is(check.status, 0, `${check.output}`);
	t.regex(check.output, /SUCCESS: 1 rule files found/);
});

test('promtool check rules accepts deploy/serialwatch-rules.yml', (t) => {
	if (!requirePromtool(t)) {
		return;
	}

	const check = run('promtool', ['check', 'rules', 'serialwatch-rules.yml']);
	t.is(check.status, 0, `${check.output}`);
});

test('the rules fire on a closed port, a silent device and an open incident, and not before', (t) => {
	if (!requirePromtool(t)) {
		return;
	}

	const dir = temporaryDirectory(t, 'rules');
	const labels =
		'job="serialwatch",instance="h:9464",port="/dev/ttyUSB0",device="oven"';
	// At t=0 the last line came at Unix time 0; none after it (evaluation time is Unix time).
	const tests = [
		`rule_files: ['${join(deploy, 'serialwatch-rules.yml')}']`,
		'evaluation_interval: 15s',
		'tests:',
		'  - interval: 15s',
		'    input_series:',
		`      - series: 'serialwatch_port_up{${labels}}'`,
		"        values: '1 1 0 0 0 0 0 0'",
		`      - series: 'serialwatch_last_line_timestamp_seconds{${labels}}'`,
		"        values: '0x8'",
		`      - series: 'serialwatch_incidents_active{${labels},rule="THRESHOLD_BREACH_TEMP"}'`,
		"        values: '0 1 1 0'",
		'    alert_rule_test:',
		'      - eval_time: 15s',
		'        alertname: SerialwatchDeviceSilent',
		'        exp_alerts: []',
		'      - eval_time: 45s',
		'        alertname: SerialwatchDeviceSilent',
		'        exp_alerts:',
		`          - exp_labels: {severity: warning, ${labels.replaceAll('=', ': ')}}`,
		'            exp_annotations:',
		"              summary: 'oven has sent nothing for 45s'",
		"              description: 'The port /dev/ttyUSB0 is open or waiting, but no line came for over 30 seconds.'",
		'      - eval_time: 30s',
		'        alertname: SerialwatchPortDown',
		'        exp_alerts: []',
		'      - eval_time: 90s',
		'        alertname: SerialwatchPortDown',
		'        exp_alerts:',
		`          - exp_labels: {severity: critical, ${labels.replaceAll('=', ': ')}}`,
		'            exp_annotations:',
		"              summary: 'Serial port /dev/ttyUSB0 of oven is not open'",
		"              description: 'serialwatch on h:9464 has not had the port open for a minute (unplugged, or the device is off).'",
		'      - eval_time: 15s',
		'        alertname: SerialwatchIncidentActive',
		'        exp_alerts:',
		`          - exp_labels: {severity: warning, rule: THRESHOLD_BREACH_TEMP, ${labels.replaceAll('=', ': ')}}`,
		'            exp_annotations:',
		"              summary: 'THRESHOLD_BREACH_TEMP on oven'",
		"              description: 'serialwatch reports 1 open THRESHOLD_BREACH_TEMP incident(s) on /dev/ttyUSB0; its alert sinks carry the details.'",
		'      - eval_time: 45s',
		'        alertname: SerialwatchIncidentActive',
		'        exp_alerts: []',
		'',
	].join('\n');
	writeFileSync(join(dir, 'tests.yml'), tests);
	const check = run('promtool', ['test', 'rules', 'tests.yml'], dir);
	t.is(check.status, 0, `${check.output}`);
});

test('systemd-analyze verify accepts deploy/serialwatch@.service', (t) => {
	// Not required, unlike promtool: CI containers often run without systemd.
	if (!optionalTool(t, 'systemd-analyze', 'apt-get install systemd')) {
		return;
	}

	// As installed, with the program where this checkout has it (verify checks it exists).
	const dir = temporaryDirectory(t, 'unit');
	const unit = readFileSync(join(deploy, 'serialwatch@.service'), 'utf8');
	t.regex(
		unit,
		/^ExecStart=\/usr\/local\/bin\/serialwatch monitor --headless --config \/etc\/serialwatch\/%i\.yaml$/m,
	);
	t.regex(unit, /^Restart=on-failure$/m);
	const instance = join(dir, 'serialwatch@oven.service');
	writeFileSync(
		instance,
		unit.replace('/usr/local/bin/serialwatch', installedCli()),
	);
	const check = run('systemd-analyze', ['verify', instance], dir);
	t.is(check.status, 0, `${check.output}`);
	t.is(check.output, '', 'no warnings either');
});
