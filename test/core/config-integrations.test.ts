// The integrations' config: exporters and alert sinks, off by default, validated like the
// rest (a problem names its key and line), secrets only by the name of an environment variable.
import test from 'ava';
import {ConfigError, parseConfig} from '../../source/core/config.js';

const problems = (text: string): string[] => {
	try {
		parseConfig(text, 'config.yaml');
	} catch (error) {
		if (error instanceof ConfigError) {
			return error.problems;
		}

		throw error;
	}

	return [];
};

test('every integration is off by default', (t) => {
	const config = parseConfig('', 'config.yaml');
	t.is(config.exporters.prometheus.listen, null);
	t.is(config.exporters.influxdb.url, null);
	t.deepEqual(config.alerts.sinks, []);
	t.is(config.device.name, null);
});

test('a sink takes its defaults: every rule, WARNING and up, a queue of 1000', (t) => {
	const config = parseConfig(
		[
			'alerts:',
			'  sinks:',
			'    - {type: alertmanager, url: "http://127.0.0.1:9093"}',
			'    - {type: pagerduty, routing_key_env: PD_KEY, min_severity: CRITICAL}',
			'    - {type: slack, url_env: SLACK_URL, rules: [HEARTBEAT_LOSS]}',
			'    - {type: webhook, url: "http://127.0.0.1:8080/x"}',
		].join('\n'),
		'config.yaml',
	);
	const [alertmanager, pagerduty, slack, webhook] = config.alerts.sinks;
	t.like(alertmanager, {
		type: 'alertmanager',
		resend_interval_s: 60,
		min_severity: 'WARNING',
		rules: null,
		queue_max: 1000,
		timeout_s: 10,
	});
	t.like(pagerduty, {
		url: 'https://events.pagerduty.com/v2/enqueue',
		min_severity: 'CRITICAL',
	});
	t.deepEqual(slack?.type === 'slack' && slack.rules, ['HEARTBEAT_LOSS']);
	t.like(webhook, {url: 'http://127.0.0.1:8080/x', url_env: null});
});

test('a secret in the file is refused: only the name of a variable that holds it', (t) => {
	const found = problems(
		'alerts:\n  sinks:\n    - {type: pagerduty, routing_key: abc123}\n',
	);
	t.true(
		found.some((problem) => /^config\.yaml:3:.*routing_key/.test(problem)),
		`${found.join('\n')}`,
	);
	t.true(
		found.every((problem) => !problem.includes('abc123')),
		'the secret is not printed back',
	);
});

test('bad values name their key and line', (t) => {
	t.regex(
		problems('exporters:\n  prometheus:\n    listen: localhost\n').join('\n'),
		/config\.yaml:3:.*exporters\.prometheus\.listen: .*HOST:PORT/,
	);
	t.regex(
		problems('exporters:\n  prometheus:\n    listen: "127.0.0.1:65536"\n').join(
			'\n',
		),
		/config\.yaml:3:.*exporters\.prometheus\.listen: HOST:PORT with a port from 0 to 65535/,
	);
	t.regex(
		problems('alerts:\n  sinks:\n    - {type: webhook}\n').join('\n'),
		/alerts\.sinks\[0]\.url: a webhook takes url or url_env/,
	);
	t.regex(
		problems(
			'exporters:\n  influxdb:\n    url: "http://127.0.0.1:8086"\n    version: 2\n',
		).join('\n'),
		/exporters\.influxdb\.org: is needed for InfluxDB 2\.x/,
	);
	t.regex(
		problems('alerts:\n  sinks:\n    - {type: email}\n').join('\n'),
		/alerts\.sinks\[0]\.type/,
	);
	t.regex(
		problems(
			'alerts:\n  sinks:\n    - {type: slack, url_env: "not a name"}\n',
		).join('\n'),
		/url_env: .*environment variable/,
	);
});
